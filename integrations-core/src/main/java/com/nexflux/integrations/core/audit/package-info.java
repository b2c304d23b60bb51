/** The append-only audit trail: the out-port every change writes to and the in-port that reads a user's trail. */
package com.nexflux.integrations.core.audit;

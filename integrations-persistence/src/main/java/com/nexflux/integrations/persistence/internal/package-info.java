/**
 * Implementation details of the persistence module (SQL, JSON layouts, cursor and URL codecs). Nothing here is
 * API: it may change at any time without notice. Use the types of {@code com.nexflux.integrations.persistence}.
 */
package com.nexflux.integrations.persistence.internal;

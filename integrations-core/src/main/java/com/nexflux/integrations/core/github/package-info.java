/** The GitHub integration's domain: accounts, repositories, Git Data API values, projects and sync jobs. */
package com.nexflux.integrations.core.github;

package com.nexflux.integrations.app.provider;

/**
 * How the standalone server gets a provider's module: the provider reads its own variables (its prefix, such as
 * {@code GITHUB_}) from the environment. A provider the deployment leaves unconfigured still returns its module, which
 * then answers 503 {@code PROVIDER_NOT_CONFIGURED} and says {@code not_available} in the overview. A malformed
 * variable is recorded with {@link Environment#problem} (start-up then fails, naming every one).
 */
@FunctionalInterface
public interface ModuleFactory {
  ProviderModule fromEnvironment(Environment env);
}

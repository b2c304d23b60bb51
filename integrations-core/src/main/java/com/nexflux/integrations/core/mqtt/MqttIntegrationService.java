package com.nexflux.integrations.core.mqtt;

import com.nexflux.integrations.core.domain.AuditEvent;
import com.nexflux.integrations.core.domain.EncryptedSecret;
import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.RequestContext;
import com.nexflux.integrations.core.domain.Secret;
import com.nexflux.integrations.core.domain.SecretContext;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.FieldError;
import com.nexflux.integrations.core.error.NotConfiguredException;
import com.nexflux.integrations.core.error.NotFoundException;
import com.nexflux.integrations.core.error.SecretUnreadableException;
import com.nexflux.integrations.core.error.ValidationException;
import com.nexflux.integrations.core.net.OutboundGuard;
import com.nexflux.integrations.core.audit.AuditLog;
import com.nexflux.integrations.core.domain.SecretCipher;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The MQTT integration's use cases. */
public final class MqttIntegrationService implements MqttIntegrations {
  /** The {@link SecretContext#field()} of the broker password. */
  public static final String PASSWORD_FIELD = "mqtt_password";
  /** What a form without a password hears when the stored one may not be reused (it names no host, no secret). */
  static final String PASSWORD_REQUIRED =
      "is required when the broker address changes (scheme, host or port); the saved password is only sent to"
          + " the saved broker";
  private static final Logger LOG = Logger.getLogger(MqttIntegrationService.class.getName());

  private final MqttIntegrationRepository repository;
  private final AuditLog auditLog;
  private final SecretCipher cipher;
  private final MqttBrokerProbe probe;
  private final OutboundGuard guard;
  private final TestRateLimiter rateLimiter;
  private final Clock clock;
  private final Executor blockingExecutor;
  private final Duration testTimeout;
  private final BrokerUrl defaultBroker;

  /**
   * @param blockingExecutor runs the blocking parts of a test (DNS, recording the outcome) off the caller's thread
   * @param testTimeout the bound on a whole test ({@code MQTT_TEST_TIMEOUT_MS})
   * @param defaultBroker the deployment's default broker ({@code DEFAULT_MQTT_BROKER_URL}), or {@code null}
   */
  public MqttIntegrationService(MqttIntegrationRepository repository, AuditLog auditLog, SecretCipher cipher,
      MqttBrokerProbe probe, OutboundGuard guard, TestRateLimiter rateLimiter, Clock clock,
      Executor blockingExecutor, Duration testTimeout, BrokerUrl defaultBroker) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.guard = Objects.requireNonNull(guard, "guard");
    this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
    this.testTimeout = Objects.requireNonNull(testTimeout, "testTimeout");
    this.defaultBroker = defaultBroker;
  }

  @Override
  public MqttView get(UserId userId) {
    return repository.find(userId).map(this::view).orElseGet(this::notConfigured);
  }

  @Override
  public MqttView put(UserId userId, MqttSettingsInput input, RequestContext context) {
    StoredRow stored = new StoredRow(userId);
    Form form = validate(input, stored);
    MqttSettings settings = form.settings();
    checkHostAtSave(settings.brokerUrl());
    Optional<MqttIntegration> existing = stored.get();
    SecretContext secretContext = passwordContext(userId);
    EncryptedSecret password = null;
    boolean passwordChanged = false;
    if (settings.useAuthentication()) {
      if (input.password() != null) {
        password = cipher.encrypt(input.password(), secretContext);
        passwordChanged = true;
      } else {
        password = form.reusablePassword();
      }
    }
    var now = clock.instant();
    MqttIntegration saved = existing.isPresent()
        ? existing.get().update(settings, password, passwordChanged, now)
        : MqttIntegration.create(userId, settings, password, now);
    Map<String, String> details = new HashMap<>();
    details.put("broker_host", settings.brokerUrl().host());
    details.put("enabled", Boolean.toString(settings.enabled()));
    details.put("use_authentication", Boolean.toString(settings.useAuthentication()));
    if (passwordChanged) {
      details.put("password_changed", "true");
    }
    repository.save(saved, audit(userId, existing.isPresent() ? AuditEvent.Actions.UPDATE
        : AuditEvent.Actions.CONNECT, AuditEvent.Outcome.SUCCESS, null, context, details));
    return view(saved);
  }

  @Override
  public void delete(UserId userId, RequestContext context) {
    boolean existed = repository.find(userId).isPresent();
    repository.delete(userId, audit(userId, AuditEvent.Actions.DISCONNECT, AuditEvent.Outcome.SUCCESS,
        existed ? null : "not_configured", context, Map.of("existed", Boolean.toString(existed))));
  }

  @Override
  public CompletableFuture<ConnectionTestResult> testSaved(UserId userId, RequestContext context) {
    MqttIntegration saved = repository.find(userId)
        .orElseThrow(() -> new NotFoundException("No MQTT settings are saved; save them first or send them to test"));
    rateLimiter.acquire(userId);
    Secret password = saved.password().map(p -> decrypt(userId, p, context)).orElse(null);
    MqttSettings s = saved.settings();
    return run(s.brokerUrl(), s.username(), password)
        .thenApplyAsync(result -> {
          record(saved, result, context);
          return result;
        }, blockingExecutor);
  }

  @Override
  public CompletableFuture<ConnectionTestResult> testUnsaved(UserId userId, MqttSettingsInput input,
      RequestContext context) {
    Form form = validate(input, new StoredRow(userId));
    MqttSettings settings = form.settings();
    rateLimiter.acquire(userId);
    Secret password = null;
    if (settings.useAuthentication()) {
      if (input.password() != null) {
        password = input.password();
      } else if (form.reusablePassword() != null) {
        password = decrypt(userId, form.reusablePassword(), context);
      }
    }
    return run(settings.brokerUrl(), settings.username(), password);
  }

  /**
   * Validates a form for a save or an unsaved test. An omitted password stands in for the stored one only while
   * the broker keeps the stored scheme, host and effective port ({@link BrokerUrl#sameServer}); otherwise anyone
   * holding the user's token could have the stored password sent to a broker of their own. Then a missing
   * password is a failure on {@code password}, reported with every other failing field. A changed user name on
   * the same server keeps the password: it still only reaches the server that already receives it.
   *
   * <p>When {@code broker_url} itself is invalid, only that is reported: whether the password is needed depends on
   * the address. No stored password (none saved, or saved without authentication) means nothing to reuse and
   * nothing required: a user name without a password stays valid.
   *
   * @throws ValidationException naming every failing field
   */
  private Form validate(MqttSettingsInput input, StoredRow stored) {
    List<FieldError> errors = new ArrayList<>();
    MqttSettings settings = null;
    try {
      settings = MqttSettings.validate(input);
    } catch (ValidationException e) {
      errors.addAll(e.errors());
    }
    EncryptedSecret reusable = null;
    if (Boolean.TRUE.equals(input.useAuthentication()) && input.password() == null) {
      BrokerUrl url = settings != null ? settings.brokerUrl() : BrokerUrl.parse("broker_url", input.brokerUrl()).url();
      Optional<MqttIntegration> withPassword = url == null ? Optional.empty()
          : stored.get().filter(e -> e.settings().useAuthentication() && e.password().isPresent());
      if (withPassword.isPresent()) {
        if (withPassword.get().settings().brokerUrl().sameServer(url)) {
          reusable = withPassword.get().password().orElseThrow();
        } else {
          errors.add(new FieldError("password", PASSWORD_REQUIRED));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new Form(settings, reusable);
  }

  /**
   * A valid form.
   *
   * @param settings the settings
   * @param reusablePassword the stored password that stands in for the omitted one, or {@code null}
   */
  private record Form(MqttSettings settings, EncryptedSecret reusablePassword) {}

  /** The user's stored integration, read at most once and only when asked for. */
  private final class StoredRow {
    private final UserId userId;
    private Optional<MqttIntegration> row;

    StoredRow(UserId userId) {
      this.userId = userId;
    }

    Optional<MqttIntegration> get() {
      if (row == null) {
        row = repository.find(userId);
      }
      return row;
    }
  }

  @Override
  public EffectiveMqttSettings effectiveSettings(UserId userId) {
    Optional<MqttIntegration> stored = repository.find(userId);
    if (stored.isPresent() && stored.get().settings().enabled()) {
      MqttSettings s = stored.get().settings();
      Secret password = stored.get().password()
          .map(p -> decrypt(userId, p, RequestContext.internal("effective-settings"))).orElse(null);
      return new EffectiveMqttSettings(s.brokerUrl(), true, s.username(), password, s.deviceId(), s.topicPrefix());
    }
    if (defaultBroker == null) {
      throw new NotConfiguredException("The user has no MQTT broker and DEFAULT_MQTT_BROKER_URL is not set");
    }
    String prefix = stored.map(i -> i.settings().topicPrefix()).orElse(MqttSettings.DEFAULT_TOPIC_PREFIX);
    return new EffectiveMqttSettings(defaultBroker, false, null, null, null, prefix);
  }

  private CompletableFuture<ConnectionTestResult> run(BrokerUrl url, String username, Secret password) {
    long timeoutMs = testTimeout.toMillis();
    long started = System.nanoTime();
    return CompletableFuture
        .supplyAsync(() -> guard.check(url.host(), url.port()), blockingExecutor)
        .thenCompose(decision -> {
          if (decision instanceof OutboundGuard.Decision.Unresolvable) {
            return CompletableFuture.<ConnectionTestResult>completedFuture(new ConnectionTestResult.Failed(
                ProbeErrorCode.DNS_FAILURE, "The host name '" + url.host() + "' could not be resolved; check the spelling"));
          }
          if (decision instanceof OutboundGuard.Decision.Denied) {
            return CompletableFuture.<ConnectionTestResult>completedFuture(hostNotAllowed(url));
          }
          var target = ((OutboundGuard.Decision.Allowed) decision).target();
          long left = Math.max(1, timeoutMs - (System.nanoTime() - started) / 1_000_000);
          return probe.probe(url, target, username, password, Duration.ofMillis(left));
        })
        .completeOnTimeout(timedOut(), timeoutMs + 250, TimeUnit.MILLISECONDS)
        .exceptionally(e -> {
          LOG.log(Level.WARNING, "MQTT connection test failed unexpectedly: " + e.getClass().getName());
          return new ConnectionTestResult.Failed(ProbeErrorCode.UNKNOWN, "The test failed unexpectedly");
        });
  }

  private ConnectionTestResult.Failed timedOut() {
    return new ConnectionTestResult.Failed(ProbeErrorCode.CONNECT_TIMEOUT,
        "The broker did not answer within " + testTimeout.toMillis() + " ms; check the host, the port and any firewall");
  }

  private static ConnectionTestResult.Failed hostNotAllowed(BrokerUrl url) {
    return new ConnectionTestResult.Failed(ProbeErrorCode.HOST_NOT_ALLOWED,
        "The host '" + url.host() + "' is in a network this server may not connect to (private, loopback or reserved)");
  }

  private void checkHostAtSave(BrokerUrl url) {
    OutboundGuard.Decision d = guard.check(url.host(), url.port());
    if (d instanceof OutboundGuard.Decision.Unresolvable) {
      throw ValidationException.of("broker_url", "host '" + url.host() + "' could not be resolved");
    }
    if (d instanceof OutboundGuard.Decision.Denied) {
      throw ValidationException.of("broker_url",
          "host '" + url.host() + "' is in a network this server may not connect to (private, loopback or reserved)");
    }
  }

  private void record(MqttIntegration tested, ConnectionTestResult result, RequestContext context) {
    var now = clock.instant();
    ProbeErrorCode code = result instanceof ConnectionTestResult.Failed f ? f.code() : null;
    Map<String, String> details = new HashMap<>();
    details.put("broker_host", tested.settings().brokerUrl().host());
    if (result instanceof ConnectionTestResult.Connected c) {
      details.put("protocol", c.brokerInfo().protocol());
    }
    try {
      repository.recordTest(tested.userId(), tested.version(), new TestRecord(now, result.connected(), code),
          audit(tested.userId(), AuditEvent.Actions.TEST,
              result.connected() ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE,
              code == null ? null : code.name(), context, details));
    } catch (RuntimeException e) {
      // The test itself happened; its answer still reaches the caller. Only the record is lost.
      LOG.log(Level.WARNING, "Could not record an MQTT test outcome: " + e.getClass().getName());
    }
  }

  private Secret decrypt(UserId userId, EncryptedSecret value, RequestContext context) {
    try {
      return cipher.decrypt(value, passwordContext(userId));
    } catch (SecretUnreadableException e) {
      throw auditLog.appendFor(audit(userId, AuditEvent.Actions.DECRYPT_FAILED, AuditEvent.Outcome.FAILURE,
          "decrypt_failed", context, Map.of("field", PASSWORD_FIELD)), e);
    }
  }

  private static SecretContext passwordContext(UserId userId) {
    return new SecretContext(userId, Provider.MQTT, PASSWORD_FIELD);
  }

  private AuditEvent audit(UserId userId, String action, AuditEvent.Outcome outcome, String reason,
      RequestContext context, Map<String, String> details) {
    return new AuditEvent(UUID.randomUUID(), userId, Provider.MQTT, action, outcome, reason, context,
        clock.instant(), details);
  }

  private MqttView view(MqttIntegration i) {
    MqttSettings s = i.settings();
    return new MqttView(true, s.enabled(), s.brokerUrl().text(), s.username(), s.useAuthentication(),
        s.deviceId(), s.topicPrefix(), i.lastConnectedAt().orElse(null), i.status(), i.password().isPresent(),
        defaultBroker == null ? null : defaultBroker.text(),
        i.lastTest().map(TestRecord::at).orElse(null),
        i.lastTest().map(TestRecord::errorCode).orElse(null));
  }

  private MqttView notConfigured() {
    return new MqttView(false, false, null, null, false, null, null, null, MqttStatus.NOT_CONFIGURED, false,
        defaultBroker == null ? null : defaultBroker.text(), null, null);
  }
}

package com.nexflux.integrations.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.nexflux.integrations.core.domain.Provider;
import com.nexflux.integrations.core.domain.UserId;
import com.nexflux.integrations.core.error.RateLimitedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeviceInventoryServiceTest {
  static final Provider A = Provider.of("acme_a");
  static final Provider B = Provider.of("acme_b");
  static final Provider C = Provider.of("acme_c");
  static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  final ExecutorService executor = Executors.newCachedThreadPool();
  final UserId alice = new UserId(UUID.randomUUID());
  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  static DeviceSource source(Provider p, BiFunction<UserId, Boolean, List<DeviceSummary>> list) {
    return new DeviceSource() {
      @Override
      public Provider provider() {
        return p;
      }

      @Override
      public List<DeviceSummary> devices(UserId user, boolean refresh) {
        return list.apply(user, refresh);
      }
    };
  }

  static DeviceSummary device(Provider p, String id) {
    return new DeviceSummary(p, id, "Device " + id, "esp32", DeviceSummary.ONLINE, null);
  }

  @Test
  void everyProviderIsAskedAtOnce_notOneAfterTheOther() {
    // each source waits until the other is running too: asked one after the other, neither would ever answer
    CyclicBarrier both = new CyclicBarrier(2);
    BiFunction<UserId, Boolean, List<DeviceSummary>> meet = (u, r) -> {
      try {
        both.await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return List.of();
    };
    DeviceInventoryService inventory = new DeviceInventoryService(List.of(
        source(A, (u, r) -> { meet.apply(u, r); return List.of(device(A, "a1")); }),
        source(B, (u, r) -> { meet.apply(u, r); return List.of(device(B, "b1"), device(B, "b2")); })),
        executor, Duration.ofSeconds(20), clock);

    DeviceInventory.Listing listing = inventory.list(alice, false);
    assertThat(listing.errors()).isEmpty();
    assertThat(listing.devices()).extracting(DeviceSummary::id).containsExactly("a1", "b1", "b2");
    assertThat(listing.fetchedAt()).isEqualTo(NOW);
  }

  @Test
  void aFailingOrSilentProviderIsAnErrorEntry_andTheOthersStillAnswer() {
    CountDownLatch never = new CountDownLatch(1);
    DeviceInventoryService inventory = new DeviceInventoryService(List.of(
        source(A, (u, r) -> { throw new RateLimitedException("acme says slow down: key=sk_live_123", null); }),
        source(B, (u, r) -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return List.of(device(B, "late"));
        }),
        source(C, (u, r) -> List.of(device(C, "c1")))),
        executor, Duration.ofMillis(300), clock);

    DeviceInventory.Listing listing = inventory.list(alice, false);
    assertThat(listing.devices()).extracting(DeviceSummary::id).containsExactly("c1");
    assertThat(listing.errors()).extracting(DeviceInventory.ProviderError::provider).containsExactly(A, B);
    assertThat(listing.errors().get(0).code()).isEqualTo("RATE_LIMITED");
    assertThat(listing.errors().get(0).message()).doesNotContain("sk_live_123");
    assertThat(listing.errors().get(1).code()).isEqualTo("UNAVAILABLE");
    assertThat(listing.errors().get(1).message()).contains("did not answer within 300 ms");
  }

  @Test
  void anUnexpectedFailureIsInternal_withoutItsText_andTheRefreshFlagAndUserReachTheSource() {
    DeviceInventoryService inventory = new DeviceInventoryService(List.of(
        source(A, (u, r) -> { throw new IllegalStateException("jdbc:postgresql://secret-host/db"); }),
        source(B, (u, r) -> List.of(device(B, u.equals(alice) && r ? "refreshed-for-alice" : "other")))),
        executor, Duration.ofSeconds(5), clock);

    DeviceInventory.Listing listing = inventory.list(alice, true);
    assertThat(listing.devices()).extracting(DeviceSummary::id).containsExactly("refreshed-for-alice");
    assertThat(listing.errors()).singleElement().satisfies(e -> {
      assertThat(e.code()).isEqualTo("INTERNAL");
      assertThat(e.message()).doesNotContain("secret-host");
    });
  }

  @Test
  void aSourceListingAnotherProvidersDeviceIsAnError() {
    DeviceInventoryService inventory = new DeviceInventoryService(List.of(
        source(A, (u, r) -> List.of(device(B, "wrong")))), executor, Duration.ofSeconds(5), clock);
    DeviceInventory.Listing listing = inventory.list(alice, false);
    assertThat(listing.devices()).isEmpty();
    assertThat(listing.errors()).extracting(DeviceInventory.ProviderError::code).containsExactly("INTERNAL");
  }
}

package com.nexflux.integrations.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nexflux.integrations.core.error.IntegrationsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

  @Test
  void decodesUserAndPasswordAndPassesParametersThrough() {
    DatabaseUrl url = DatabaseUrl.parse(
        "postgres://app%40corp:p%40ss%3Aw%2Frd%23%3F%25+%20%C3%A9@db.example.com:5433/nexflux?sslmode=require&ApplicationName=x");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5433/nexflux?sslmode=require&ApplicationName=x");
    assertThat(url.user()).isEqualTo("app@corp");
    assertThat(url.password()).isEqualTo("p@ss:w/rd#?%+ é");
    assertThat(url.toString()).doesNotContain("p@ss");
  }

  @Test
  void acceptsVariants() {
    assertThat(DatabaseUrl.parse("postgresql://u:p@localhost/db")).isEqualTo(
        new DatabaseUrl("jdbc:postgresql://localhost/db", "u", "p"));
    assertThat(DatabaseUrl.parse("POSTGRES://h1:5432,h2:5433/db?targetServerType=primary")).isEqualTo(
        new DatabaseUrl("jdbc:postgresql://h1:5432,h2:5433/db?targetServerType=primary", null, null));
    assertThat(DatabaseUrl.parse("postgres://u@[::1]:5432/db")).isEqualTo(
        new DatabaseUrl("jdbc:postgresql://[::1]:5432/db", "u", null));
    assertThat(DatabaseUrl.parse("postgres://h/db?user=u&password=p%2Bq&sslmode=disable")).isEqualTo(
        new DatabaseUrl("jdbc:postgresql://h/db?sslmode=disable", "u", "p+q"));
    assertThat(DatabaseUrl.parse("postgres://u:@h")).isEqualTo(new DatabaseUrl("jdbc:postgresql://h/", "u", ""));
    assertThat(DatabaseUrl.parse("jdbc:postgresql://h:5432/db?user=u&password=a%26b+c&ssl=true")).isEqualTo(
        new DatabaseUrl("jdbc:postgresql://h:5432/db?ssl=true", "u", "a&b c"));
    assertThat(DatabaseUrl.parse("jdbc:postgresql://h/db")).isEqualTo(
        new DatabaseUrl("jdbc:postgresql://h/db", null, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql://u:Sup3rSecretPw@h/db", "postgres://u:Sup3rSecretPw%zz@h/db",
      "postgres://u:Sup3rSecretPw@/db", "postgres://u:Sup3rSecretPw@h/db/extra", "Sup3rSecretPw", ""})
  void rejectsMalformedUrlsWithoutRepeatingThem(String text) {
    IntegrationsException e = catchThrowableOfType(IntegrationsException.class, () -> DatabaseUrl.parse(text));
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo("DATABASE_URL_INVALID");
    assertThat(e.getMessage()).doesNotContain("Sup3rSecretPw");
    assertThat(e.getCause()).isNull();
  }
}

package dev.tandem.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks every error response the same way: its status, its code, and a message a person can act on. */
public final class ApiAssertions {
    private ApiAssertions() {}

    public static void assertError(Http.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().at("/error/code").asText()).isEqualTo(code);
        assertThat(response.json().at("/error/message").asText()).isNotBlank();
    }
}

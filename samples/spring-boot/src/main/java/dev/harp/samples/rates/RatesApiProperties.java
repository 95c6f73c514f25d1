package dev.harp.samples.rates;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;

/**
 * Where the rates API is and the key it wants ({@code rates.api.base-url}, {@code rates.api.key}).
 *
 * @param baseUrl e.g. {@code https://api.example.test}
 * @param key     sent as {@code X-Api-Key}
 */
@ConfigurationProperties("rates.api")
public record RatesApiProperties(URI baseUrl, String key) {
}

package dev.harp.samples.rates;

import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The rates API ({@code GET /v1/rates?base=EUR}) through a {@link RestClient} built once, from Spring Boot's
 * auto-configured builder, when the application context starts.
 */
@Component
public class RatesClient {
    private final RestClient rest;

    public RatesClient(RestClient.Builder builder, RatesApiProperties api) {
        this.rest = builder.baseUrl(api.baseUrl().toString())
                .defaultHeader("X-Api-Key", api.key())
                .build();
    }

    /** @return the latest rates from one currency to the others */
    public ExchangeRates latest(String base) {
        return rest.get().uri("/v1/rates?base={base}", base).retrieve().body(ExchangeRates.class);
    }

    /**
     * @param base  the currency the rates convert from
     * @param date  the day they are for, ISO-8601
     * @param rates units of each currency for one unit of {@code base}
     */
    public record ExchangeRates(String base, String date, Map<String, BigDecimal> rates) {
    }
}

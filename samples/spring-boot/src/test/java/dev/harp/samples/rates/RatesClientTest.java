package dev.harp.samples.rates;

import dev.harp.junit.Harp;
import dev.harp.samples.rates.RatesClient.ExchangeRates;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's own {@link RatesClient} bean, built once when the context starts, calls the HTTPS API through
 * Harp: {@code @Harp} wires the JVM before Spring builds the context, so Boot's JDK {@code HttpClient} takes Harp
 * as its proxy and trusts Harp's CA. {@code @DirtiesContext}: see {@link CurrencyConverterTest}.
 */
@SpringBootTest
@Harp
@DirtiesContext
class RatesClientTest {
    @Autowired
    RatesClient rates;

    @Test
    void latestRatesFromEuro() {
        ExchangeRates latest = rates.latest("EUR");

        assertThat(latest.base()).isEqualTo("EUR");
        assertThat(latest.rates()).containsKeys("USD", "GBP", "JPY");
    }
}

package dev.harp.samples.rates;

import dev.harp.junit.Harp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Same context configuration as {@link RatesClientTest}, so Spring would hand this class the cached context
 * whose {@code RestClient} still points at the other class's Harp, gone by now (each test class has its own Harp
 * proxy). {@code @DirtiesContext} on both classes ends each context with its class: this one builds its own,
 * against its own Harp. (Tests that must share one context can be {@code @Nested} classes of one {@code @Harp}
 * class: nested classes reuse the enclosing class's proxy.)
 */
@SpringBootTest
@Harp
@DirtiesContext
class CurrencyConverterTest {
    @Autowired
    CurrencyConverter converter;

    @Test
    void convertsEuroToDollars() {
        assertThat(converter.convert(new BigDecimal("250.00"), "EUR", "USD")).isEqualByComparingTo("271.05");
    }

    @Test
    void aCurrencyWithoutRateIsRefused() {
        assertThatThrownBy(() -> converter.convert(BigDecimal.TEN, "USD", "CHF"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no rate from USD to CHF");
    }
}

package dev.harp.samples.rates;

import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Converts amounts with the latest rates. */
@Service
public class CurrencyConverter {
    private final RatesClient rates;

    public CurrencyConverter(RatesClient rates) {
        this.rates = rates;
    }

    /** @return {@code amount} of {@code from} in {@code to}, rounded to cents */
    public BigDecimal convert(BigDecimal amount, String from, String to) {
        BigDecimal rate = rates.latest(from).rates().get(to);
        if (rate == null) {
            throw new IllegalArgumentException("no rate from " + from + " to " + to);
        }
        return amount.multiply(rate).setScale(2, RoundingMode.HALF_EVEN);
    }
}

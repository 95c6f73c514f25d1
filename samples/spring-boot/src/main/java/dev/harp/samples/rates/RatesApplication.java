package dev.harp.samples.rates;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** A small service converting amounts between currencies with the rates of an outside HTTPS API. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RatesApplication {
    public static void main(String[] args) {
        SpringApplication.run(RatesApplication.class, args);
    }
}

package dev.harp.record;

import java.util.Objects;

/**
 * A secret {@link SecretScanner} found in a HAR, described without its value.
 *
 * @param entry    index of the entry in {@code log.entries}, from 0
 * @param location where in the entry, e.g. {@code request.url query access_token},
 *                 {@code response.header Authorization}, {@code response.body $.auth}
 * @param rule     which rule matched: {@code secret-name}, {@code cookie}, or a shape such as {@code jwt},
 *                 {@code private-key}, {@code aws-access-key-id}, {@code github-token}
 */
public record SecretFinding(int entry, String location, String rule) {
    /** Checks the parts. */
    public SecretFinding {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(rule, "rule");
    }

    /** {@code entry 3: request.url query access_token (secret-name)}. */
    @Override
    public String toString() {
        return "entry " + entry + ": " + location + " (" + rule + ")";
    }
}

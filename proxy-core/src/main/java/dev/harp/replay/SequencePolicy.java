package dev.harp.replay;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What replay does when the same request was recorded several times, or is asked for more often than recorded.
 *
 * <p>Identical recorded requests (identical under the {@link MatchOptions} in force) form one sequence. The option
 * is named {@code sequence} everywhere: {@code --sequence sequence|reuse-first|fail-after-last} on the command line,
 * {@code sequence} in the JUnit annotation and the Maven plugin, {@link MatchOptions.Builder#sequence} in Java.
 */
public enum SequencePolicy {

    /**
     * The default: repeated identical requests get the recorded responses in recorded order; once all were
     * served, the last one repeats. Option value {@code sequence}.
     */
    SEQUENCE("sequence"),

    /** Every repetition gets the first recorded response; later recordings are never served. Option value {@code reuse-first}. */
    REUSE_FIRST("reuse-first"),

    /**
     * Like {@link #SEQUENCE}, but a request asked for once more than it was recorded is a miss, so a test notices
     * that the code under test now calls more often. Option value {@code fail-after-last}.
     */
    FAIL_AFTER_LAST("fail-after-last");

    private final String optionValue;

    SequencePolicy(String optionValue) {
        this.optionValue = optionValue;
    }

    /** @return the spelling used on the command line and in build files, e.g. {@code reuse-first} */
    public String optionValue() {
        return optionValue;
    }

    /**
     * Reads a policy from its option value ({@code reuse-first}) or its constant name ({@code REUSE_FIRST}),
     * ignoring case.
     *
     * @param text the value to read
     * @return the policy
     * @throws IllegalArgumentException naming the valid values, if {@code text} is none of them
     */
    public static SequencePolicy fromOptionValue(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (SequencePolicy policy : values()) {
            if (policy.optionValue.equals(wanted)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown sequence policy '" + text + "'; use one of "
                + Arrays.stream(values()).map(SequencePolicy::optionValue).collect(Collectors.joining(", ")));
    }
}

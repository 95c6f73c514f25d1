package dev.harp.bench;

/**
 * The origin server the benchmark measures against, on 127.0.0.1: {@code /1k} and {@code /64k} over plain HTTP on
 * {@link #httpPort()} and over HTTPS on {@link #httpsPort()} (certificate signed by the benchmark's CA for
 * {@code 127.0.0.1}).
 */
interface Upstream extends AutoCloseable {
    /** Plain HTTP port. */
    int httpPort();

    /** HTTPS port. */
    int httpsPort();

    /** Its running processes, for CPU accounting (none when it runs in this JVM). */
    default java.util.List<Long> pids() {
        return java.util.List.of();
    }

    /** What it is, for the report. */
    String description();

    @Override
    void close();
}

package dev.harp.samples.releases;

/**
 * A repository's release, as the releases API describes it.
 *
 * @param tag         the release's tag, such as {@code v2.4.1}
 * @param publishedAt when it was published, as the API writes it ({@code 2026-11-30})
 */
public record Release(String tag, String publishedAt) {
}

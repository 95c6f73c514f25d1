package dev.harp.usage;

import dev.harp.options.Face;
import dev.harp.record.Redactor;
import dev.harp.replay.Difference;
import dev.harp.replay.Miss;
import dev.harp.replay.NearMiss;
import dev.harp.replay.Suggestion;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A replay miss as a usage file keeps it: the live request, why nothing was served, and the closest recorded entries
 * with what differs and which option would make them match (as the miss diagnostic computes them). Immutable.
 *
 * @param reason  {@link Miss.Reason#name()} of the miss
 * @param live    the live request as sent
 * @param closest up to three closest recorded requests, closest first
 * @param text    the miss diagnostic as plain text, as the face that saw it printed it (redacted)
 */
public record MissView(String reason, RequestView live, List<Closest> closest, String text) {

    /** Checks and copies the parts. */
    public MissView {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(live, "live");
        closest = List.copyOf(closest);
        Objects.requireNonNull(text, "text");
    }

    /** Misses a usage file keeps per use; a use that misses more keeps the first ones. */
    public static final int MAX_PER_USE = 500;

    /**
     * @param misses   a use's misses, in order
     * @param face     the face whose option spelling {@link #text()} uses
     * @param redactor the redaction rules in force
     * @return the views of the first {@link #MAX_PER_USE}
     */
    public static List<MissView> of(List<Miss> misses, Face face, Redactor redactor) {
        List<MissView> views = new ArrayList<>();
        for (Miss miss : misses.subList(0, Math.min(MAX_PER_USE, misses.size()))) {
            views.add(of(miss, face, redactor));
        }
        return views;
    }

    /**
     * @param miss     a miss
     * @param face     the face whose option spelling {@link #text()} uses
     * @param redactor the redaction rules in force
     * @return its view
     */
    public static MissView of(Miss miss, Face face, Redactor redactor) {
        List<Closest> closest = new ArrayList<>();
        for (NearMiss near : miss.closest()) {
            List<DifferenceView> differences = new ArrayList<>();
            for (Difference d : near.differences()) {
                differences.add(new DifferenceView(d.aspect().name(), Redactor.forLogText(d.description()),
                        d.suggestion().map(SuggestionView::of).orElse(null)));
            }
            closest.add(new Closest(near.entryIndices(), near.score(), RequestView.of(near.recorded(), redactor),
                    differences));
        }
        return new MissView(miss.reason().name(), RequestView.of(miss.request(), redactor), closest,
                Redactor.forLogText(miss.describe(face)));
    }

    /**
     * A recorded request close to the live one.
     *
     * @param entries     the indices of the recorded entries of this sequence (at least one)
     * @param score       closeness from 0 to 100
     * @param recorded    the recorded request
     * @param differences what differs, in request order
     */
    public record Closest(List<Integer> entries, double score, RequestView recorded, List<DifferenceView> differences) {
        /** Checks and copies the parts. */
        public Closest {
            entries = List.copyOf(entries);
            Objects.requireNonNull(recorded, "recorded");
            differences = List.copyOf(differences);
        }
    }

    /**
     * One difference.
     *
     * @param aspect      {@link Difference.Aspect#name()}: METHOD, SCHEME, HOST, PORT, PATH, QUERY, HEADER, BODY
     * @param description e.g. {@code query parameter "page": live "2", recorded "1"}
     * @param suggestion  the option that would remove it, or null
     */
    public record DifferenceView(String aspect, String description, SuggestionView suggestion) {
        /** Checks the parts. */
        public DifferenceView {
            Objects.requireNonNull(aspect, "aspect");
            Objects.requireNonNull(description, "description");
        }
    }

    /**
     * An option that would make a near miss match, spelled for every face.
     *
     * @param option the option's name, e.g. {@code ignoreQueryParams}
     * @param value  the value, e.g. {@code page}
     * @param drop   whether the value is to be taken out of the option rather than added
     * @param cli    e.g. {@code --ignore-query-param page}
     * @param junit  e.g. {@code ignoreQueryParams = "page"}
     * @param maven  e.g. {@code <ignoreQueryParams>page</ignoreQueryParams>}
     */
    public record SuggestionView(String option, String value, boolean drop, String cli, String junit, String maven) {
        /** Checks the parts. */
        public SuggestionView {
            Objects.requireNonNull(option, "option");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(cli, "cli");
            Objects.requireNonNull(junit, "junit");
            Objects.requireNonNull(maven, "maven");
        }

        static SuggestionView of(Suggestion s) {
            return new SuggestionView(s.option().name(), s.value(), s.drop(), s.in(Face.CLI), s.in(Face.JUNIT),
                    s.in(Face.MAVEN));
        }
    }
}

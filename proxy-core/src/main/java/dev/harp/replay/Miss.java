package dev.harp.replay;

import dev.harp.options.Face;

import java.util.List;
import java.util.Objects;

/**
 * Why a live request got no recorded response: the request, the reason, and the closest recorded entries with what
 * differs and which option would make them match. {@link #describe()} renders it as compact plain text for an HTTP
 * response body or a test failure message; the caller prepends the HAR file name.
 */
public final class Miss {

    /** Why nothing was served. */
    public enum Reason {
        /** The index holds no entries at all. */
        EMPTY_INDEX,
        /** No recorded request matches. */
        NO_MATCH,
        /** A recorded request matches, but under {@link SequencePolicy#FAIL_AFTER_LAST} all its responses were used. */
        SEQUENCE_EXHAUSTED,
        /**
         * A WebSocket upgrade matched a recorded conversation, but a message the client sent is not the next one
         * recorded; {@link #closest()} names the entry, {@link #describe()} the message and the closest recorded one.
         */
        WEBSOCKET_MESSAGE
    }

    private final MatchRequest request;
    private final MatchRequest compared;
    private final Reason reason;
    private final List<NearMiss> closest;
    private final int recordedEntries;
    private final Face face;
    private final String detail;

    Miss(MatchRequest request, MatchRequest compared, Reason reason, List<NearMiss> closest, int recordedEntries,
         Face face) {
        this(request, compared, reason, closest, recordedEntries, face, "");
    }

    /** @param detail lines that {@link #describe()} adds below the first one (for {@link Reason#WEBSOCKET_MESSAGE}) */
    Miss(MatchRequest request, MatchRequest compared, Reason reason, List<NearMiss> closest, int recordedEntries,
         Face face, String detail) {
        this.request = Objects.requireNonNull(request, "request");
        this.compared = Objects.requireNonNull(compared, "compared");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.closest = List.copyOf(closest);
        this.recordedEntries = recordedEntries;
        this.face = face;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /** Lines of detail below the first one of {@link #describe()}; empty but for WebSocket message misses. */
    String detail() {
        return detail;
    }

    /** @return the live request as sent */
    public MatchRequest request() {
        return request;
    }

    /** @return the live request as compared: after host aliases, else the same as {@link #request()} */
    public MatchRequest compared() {
        return compared;
    }

    /** @return why nothing was served */
    public Reason reason() {
        return reason;
    }

    /**
     * @return up to three closest recorded requests, closest first; for {@link Reason#SEQUENCE_EXHAUSTED} the one
     *         used-up sequence, without differences
     */
    public List<NearMiss> closest() {
        return closest;
    }

    /** @return how many entries the index held when the miss happened */
    public int recordedEntries() {
        return recordedEntries;
    }

    /**
     * @return the plain-text report; options are suggested in the spelling of the configured face
     *         ({@link MatchOptions#face()}), else of the command line and the builders together
     */
    public String describe() {
        return MissText.render(this, face);
    }

    /**
     * @param face the face whose spelling the suggested options use
     * @return the plain-text report
     */
    public String describe(Face face) {
        return MissText.render(this, Objects.requireNonNull(face, "face"));
    }

    @Override
    public String toString() {
        return describe();
    }
}

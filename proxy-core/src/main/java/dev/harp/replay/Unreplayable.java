package dev.harp.replay;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/** Why a HAR entry is not replayed, with what is wrong in one line; the load summary counts entries by reason. */
final class Unreplayable extends IOException {
    private static final long serialVersionUID = 1L;

    /** The kinds of skipped entries, as the load summary names them. */
    enum Reason {
        FAILED_REQUEST("failed request", "failed requests"),
        CONNECT("CONNECT record", "CONNECT records"),
        UPGRADE("protocol upgrade other than WebSocket", "protocol upgrades other than WebSocket"),
        NOT_HTTP("URL that is not absolute http(s)", "URLs that are not absolute http(s)"),
        SIDE_FILE("refused or missing side file", "refused or missing side files"),
        BAD_BASE64("bad base64 body", "bad base64 bodies"),
        TOO_LARGE("body over the capture limit", "bodies over the capture limit"),
        UNUSABLE("unusable request or response", "unusable requests or responses");

        private final String one;
        private final String many;

        Reason(String one, String many) {
            this.one = one;
            this.many = many;
        }

        String count(int n) {
            return n + " " + (n == 1 ? one : many);
        }
    }

    private final Reason reason;

    Unreplayable(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    Unreplayable(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    Reason reason() {
        return reason;
    }

    /** E.g. {@code 2 failed requests, 1 refused or missing side file}, in the order of {@link Reason}. */
    static String describe(EnumMap<Reason, Integer> counts) {
        StringJoiner out = new StringJoiner(", ");
        for (Map.Entry<Reason, Integer> e : counts.entrySet()) {
            out.add(e.getKey().count(e.getValue()));
        }
        return out.toString();
    }
}

package dev.harp.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that reports a client that went away: one DEBUG line, never a stack trace. */
final class ClientAborts {
    private static final Logger LOG = LoggerFactory.getLogger("dev.harp.abort");

    private ClientAborts() {
    }

    static void log(String what, String reason) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("client aborted {}: {}", dev.harp.record.Redactor.forLog(what), reason);
        }
    }
}

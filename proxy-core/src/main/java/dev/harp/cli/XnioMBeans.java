package dev.harp.cli;

/**
 * Lets the CLI's proxy start without XNIO's management beans. XNIO registers a bean for its provider and one per
 * worker in the platform MBean server, and creating that server (the JDK's platform beans, JFR's among them) took
 * 150-200 ms of a 500 ms CLI start, for beans a test proxy never shows. XNIO tolerates a failed registration by design
 * (it catches it and goes on); the registration is made to fail by naming a JMX builder that does not exist
 * ({@code javax.management.builder.initial}) while the proxy starts, and the property is put back right after, so a
 * later JMX user (jcmd, a JMX agent) gets the platform server as usual. Only the CLI does this: its JVM is Harp's. A
 * library in someone else's JVM (the JUnit extension, the Maven plugin) must not.
 */
final class XnioMBeans {
    private static final String BUILDER = "javax.management.builder.initial";
    private static final String NONE = "dev.harp.cli.XnioMBeans$NoBuilder";

    private XnioMBeans() {
    }

    /** Declines the beans until {@link #restore()}, unless the user chose a JMX builder. */
    static void decline() {
        if (System.getProperty(BUILDER) == null) {
            System.setProperty(BUILDER, NONE);
        }
    }

    /** Puts the property back as it was. */
    static void restore() {
        if (NONE.equals(System.getProperty(BUILDER))) {
            System.clearProperty(BUILDER);
        }
    }
}

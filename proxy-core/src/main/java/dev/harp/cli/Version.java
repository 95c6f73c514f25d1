package dev.harp.cli;

import picocli.CommandLine.IVersionProvider;

/** Harp's version, from the jar manifest. */
final class Version implements IVersionProvider {
    static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"Harp " + current(), "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
}

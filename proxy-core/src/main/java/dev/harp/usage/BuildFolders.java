package dev.harp.usage;

import dev.harp.options.OptionCatalog;

import java.nio.file.Path;

/**
 * Where report and prune look by default, relative to a module's folder, shared by the CLI and the Maven goals (the
 * README's "Keeping fixtures healthy" table lists them): the usage folder, the fixture folder (the JUnit extension's
 * {@link OptionCatalog#DIRECTORY}, so HARs kept elsewhere as plain test data are never taken for unused fixtures),
 * and the compiled test classes (so a deleted test class can be told from one that did not run).
 */
public final class BuildFolders {
    /** The build's usage folder. */
    public static final Path USAGE = Path.of("target", "harp");
    /** The fixture folder: the JUnit extension's {@code directory} default, {@code src/test/resources/harp}. */
    public static final Path FIXTURES = Path.of(OptionCatalog.DIRECTORY.defaultValue());
    /** The compiled test classes. */
    public static final Path TEST_CLASSES = Path.of("target", "test-classes");

    private BuildFolders() {
    }
}

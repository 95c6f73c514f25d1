package dev.harp.cli;

import dev.harp.usage.BuildFolders;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code --test-classes} of {@code harp report} and {@code harp prune}: the folders given, or the default. */
final class TestClasses {
    private TestClasses() {
    }

    /**
     * @param given the folders named with {@code --test-classes}, or null
     * @return them, else {@code target/test-classes} when it exists, else none (unknown)
     * @throws IllegalArgumentException when a folder given is not a folder
     */
    static List<Path> folders(List<Path> given) {
        if (given == null) {
            return Files.isDirectory(BuildFolders.TEST_CLASSES) ? List.of(BuildFolders.TEST_CLASSES) : List.of();
        }
        for (Path folder : given) {
            if (!Files.isDirectory(folder)) {
                throw new IllegalArgumentException("--test-classes " + folder + " is not a folder");
            }
        }
        return List.copyOf(given);
    }
}

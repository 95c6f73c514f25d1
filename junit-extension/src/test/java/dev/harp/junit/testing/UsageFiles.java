package dev.harp.junit.testing;

import dev.harp.usage.FixtureUse;
import dev.harp.usage.UsageLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The usage files a test run wrote, read back for assertions. */
public final class UsageFiles {
    private UsageFiles() {
    }

    /**
     * @param folder the usage folder
     * @return every use in it (none when it does not exist); fails when a file could not be read
     * @throws IOException when the folder cannot be listed
     */
    public static List<FixtureUse> uses(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        UsageLog.Contents contents = UsageLog.at(folder).read();
        assertThat(contents.problems()).isEmpty();
        return contents.uses();
    }

    /**
     * @param uses uses of distinct users
     * @return them by user; fails when a user has two
     */
    public static Map<String, FixtureUse> byUser(List<FixtureUse> uses) {
        Map<String, FixtureUse> byUser = new LinkedHashMap<>();
        for (FixtureUse use : uses) {
            assertThat(byUser.put(use.user(), use)).as("one use per user: %s", use.user()).isNull();
        }
        return byUser;
    }
}

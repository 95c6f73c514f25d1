package dev.harp.junit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLocksProvider.Lock;
import org.junit.jupiter.api.parallel.Resources;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Wired classes lock the JVM exclusively; unwired ones share it; every class keeps its tests sequential. */
class HarpLocksTest {
    private final HarpLocks locks = new HarpLocks();

    @Harp
    static class Wired {
        void test() {
        }
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Harp(wireJvm = false)
    @interface Unwired {
    }

    @Unwired
    static class MetaUnwired {
        @Harp
        void wiredMethod() {
        }
    }

    static class Plain {
    }

    @Test
    void wiredClassesTakeTheJvmAndSystemPropertiesExclusively() {
        assertThat(locks.provideForClass(Wired.class)).containsExactlyInAnyOrder(
                new Lock("harp.proxy:" + Wired.class.getName(), ResourceAccessMode.READ_WRITE),
                new Lock(HarpLocks.JVM, ResourceAccessMode.READ_WRITE),
                new Lock(Resources.SYSTEM_PROPERTIES, ResourceAccessMode.READ_WRITE));
    }

    @Test
    void unwiredClassesOnlyReadTheJvmLockEvenThroughAMetaAnnotation() throws Exception {
        assertThat(locks.provideForClass(MetaUnwired.class)).containsExactlyInAnyOrder(
                new Lock("harp.proxy:" + MetaUnwired.class.getName(), ResourceAccessMode.READ_WRITE),
                new Lock(HarpLocks.JVM, ResourceAccessMode.READ));
        assertThat(locks.provideForMethod(List.of(), MetaUnwired.class, MetaUnwired.class.getDeclaredMethod("wiredMethod")))
                .contains(new Lock(HarpLocks.JVM, ResourceAccessMode.READ_WRITE));
        assertThat(locks.provideForMethod(List.of(), Wired.class, Wired.class.getDeclaredMethod("test"))).isEmpty();
        assertThat(locks.provideForClass(Plain.class)).isEmpty();
    }
}

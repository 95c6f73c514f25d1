package dev.harp.junit.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that only makes sense inside {@link Scenarios#run}: anywhere else (an IDE, a wide Surefire
 * pattern) it is disabled, so it never records into the real {@code src/test/resources}. Its tag
 * {@value #TAG} is left out of Surefire's runs altogether (excludedGroups in the parent pom), so such classes are
 * not counted as skipped tests of their own, which would hide real skips.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(Scenario.OnlyInScenarios.class)
@Tag(Scenario.TAG)
public @interface Scenario {
    /** The tag of classes run only from inside another test; Surefire excludes it. */
    String TAG = "scenario";

    /** Enables scenario classes only when {@value Scenarios#FLAG} is set. */
    final class OnlyInScenarios implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(Scenarios.FLAG).map(Boolean::parseBoolean).orElse(false)
                    ? ConditionEvaluationResult.enabled("run by Scenarios")
                    : ConditionEvaluationResult.disabled("scenario classes run only through Scenarios.run");
        }
    }
}

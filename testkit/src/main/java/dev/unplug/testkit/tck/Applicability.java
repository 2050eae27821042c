package dev.unplug.testkit.tck;

import dev.unplug.spi.UnplugProvider;
import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Reports a TCK check marked {@link Needs} as not applicable when the plugin under test does not declare the
 * capability, with the rule, the plugin and the reason; runs it otherwise. Only for {@link ConnectionContractTest}.
 */
final class Applicability implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<Method> method = context.getTestMethod();
        Optional<Object> instance = context.getTestInstance();
        if (method.isEmpty() || instance.isEmpty() || !(instance.get() instanceof ConnectionContractTest tck)) {
            return ConditionEvaluationResult.enabled("not a TCK check");
        }
        Needs needs = needs(method.get());
        if (needs == null) {
            return ConditionEvaluationResult.enabled("applies to every plugin");
        }
        UnplugProvider provider = tck.provider();
        if (provider.capabilities().contains(needs.value())) {
            return ConditionEvaluationResult.enabled("the plugin declares " + needs.value());
        }
        return ConditionEvaluationResult.disabled("TCK rule " + needs.rule() + " is not applicable to plugin '"
                + provider.id() + "': it declares no " + needs.value() + " capability (" + needs.why() + ")");
    }

    /** The annotation on the method or on the TCK method it overrides. */
    private static Needs needs(Method method) {
        for (Class<?> c = method.getDeclaringClass(); c != null; c = c.getSuperclass()) {
            try {
                Needs n = c.getDeclaredMethod(method.getName(), method.getParameterTypes()).getAnnotation(Needs.class);
                if (n != null) {
                    return n;
                }
            } catch (NoSuchMethodException e) {
                // not declared here
            }
        }
        return null;
    }
}

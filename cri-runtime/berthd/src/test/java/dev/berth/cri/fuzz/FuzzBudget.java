package dev.berth.cri.fuzz;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Example;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The fuzz's budget, for CI: each property runs {@code berth.fuzz.tries} (default {@value #DEFAULT_TRIES}) times
 * its {@link Share} in percent; {@code berth.fuzz.seed} repeats a run whose seed jqwik logged. Shrinking is off:
 * a property does not stop at its first imprecise answer but collects them all (see {@link Ledger}).
 */
final class FuzzBudget implements AroundPropertyHook {

    static final int DEFAULT_TRIES = 400;

    /** This property's tries in percent of {@code berth.fuzz.tries}: calls that start pods cost 100× a status. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface Share {
        int value();
    }

    /** Registered on a test class, it applies to each of the class's properties. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        if (context.findAnnotation(Example.class).isPresent()) {
            return property.execute();
        }
        int tries = Integer.getInteger("berth.fuzz.tries", DEFAULT_TRIES);
        int share = context.findAnnotation(Share.class).map(Share::value).orElse(100);
        context.attributes().setTries(Math.max(1, tries * share / 100));
        context.attributes().setShrinking(ShrinkingMode.OFF);
        context.attributes().setAfterFailure(AfterFailureMode.RANDOM_SEED);
        String seed = System.getProperty("berth.fuzz.seed");
        if (seed != null && !seed.isBlank()) {
            context.attributes().setSeed(seed);
        }
        return property.execute();
    }
}

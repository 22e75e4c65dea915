package dev.berth.operator.process;

import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/**
 * The reconcilers each mode runs, by class name so that every reconciler's author adds one line here and
 * nothing else. A reconciler class needs a public constructor taking {@link OperatorContext}, or
 * {@code KubernetesClient}, or nothing.
 */
public final class ControllerRegistry {
    /** The elected operator's reconcilers (dev.berth.operator.image, dev.berth.operator.app). */
    static final List<String> OPERATOR_RECONCILERS =
            List.of("dev.berth.operator.image.ImageReconciler", "dev.berth.operator.app.AppReconciler");

    /** Every node agent's reconcilers (dev.berth.operator.nodeagent); they run on each node, unelected. */
    static final List<String> NODE_AGENT_RECONCILERS = List.of("dev.berth.operator.nodeagent.NodeImageReconciler");

    private final List<String> operator;
    private final List<String> nodeAgent;

    public ControllerRegistry(List<String> operatorReconcilers, List<String> nodeAgentReconcilers) {
        this.operator = List.copyOf(operatorReconcilers);
        this.nodeAgent = List.copyOf(nodeAgentReconcilers);
    }

    /** The reconcilers built into this jar. */
    public static ControllerRegistry defaults() {
        return new ControllerRegistry(OPERATOR_RECONCILERS, NODE_AGENT_RECONCILERS);
    }

    public List<String> classNames(Mode mode) {
        return mode == Mode.OPERATOR ? operator : nodeAgent;
    }

    /** Builds one instance of every reconciler of the mode; a missing or unbuildable class fails loudly. */
    public List<Reconciler<?>> instantiate(Mode mode, OperatorContext context) {
        List<Reconciler<?>> reconcilers = new ArrayList<>();
        for (String name : classNames(mode)) {
            reconcilers.add(instantiate(name, context));
        }
        return reconcilers;
    }

    private static Reconciler<?> instantiate(String className, OperatorContext context) {
        Class<?> type;
        try {
            type = Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(
                    "reconciler " + className + " is registered in ControllerRegistry but is not " + "on the classpath",
                    e);
        }
        if (!Reconciler.class.isAssignableFrom(type)) {
            throw new IllegalStateException(
                    className + " is registered as a reconciler but does not implement " + Reconciler.class.getName());
        }
        try {
            for (Constructor<?> c : type.getConstructors()) {
                Class<?>[] params = c.getParameterTypes();
                if (params.length == 1 && params[0] == OperatorContext.class) {
                    return (Reconciler<?>) c.newInstance(context);
                }
                if (params.length == 1 && params[0].isInstance(context.client())) {
                    return (Reconciler<?>) c.newInstance(context.client());
                }
            }
            return (Reconciler<?>) type.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(
                    className + " needs a public constructor taking OperatorContext, " + "KubernetesClient or nothing",
                    e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(
                    "constructing reconciler " + className + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct reconciler " + className + ": " + e, e);
        }
    }
}

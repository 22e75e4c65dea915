package dev.berth.operator.model;

/** The Deployment strategies Kubernetes knows, spelled as it spells them. */
public enum StrategyType {
    RollingUpdate,
    Recreate
}

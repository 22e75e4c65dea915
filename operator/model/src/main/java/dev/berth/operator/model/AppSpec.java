package dev.berth.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** How an {@link App} runs: its image, process, ports, health, storage and scaling. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.image) != has(self.imageRef)",
        message = "exactly one of image and imageRef must be set")
public class AppSpec {
    // an image reference; exactly one of image and imageRef
    // kubectl's IMAGE column shows status.image, which imageRef Apps fill too
    @Size(min = 1)
    private String image;
    // the name of an Image in the App's namespace, whose resolved digest the App runs
    @Size(min = 1)
    @PrinterColumn(name = "IMAGE-REF", priority = 1)
    private String imageRef;
    // ignored while autoscaling is set
    @Min(0)
    @Default("1")
    private Integer replicas = 1;

    private List<String> command;
    private List<String> args;
    private List<EnvVar> env;
    private List<EnvFromSource> envFrom;
    private List<AppPort> ports;
    private ResourceRequirements resources;
    private HealthCheck healthCheck;
    private List<AppVolume> volumes;
    private Autoscaling autoscaling;
    private Strategy strategy;
    // absent: the operator's configured RuntimeClass (berth)
    private String runtimeClassName;

    @Min(1)
    @Default("600")
    private Integer progressDeadlineSeconds = 600;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getImageRef() {
        return imageRef;
    }

    public void setImageRef(String imageRef) {
        this.imageRef = imageRef;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public List<String> getCommand() {
        return command;
    }

    public void setCommand(List<String> command) {
        this.command = command;
    }

    public List<String> getArgs() {
        return args;
    }

    public void setArgs(List<String> args) {
        this.args = args;
    }

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }

    public List<EnvFromSource> getEnvFrom() {
        return envFrom;
    }

    public void setEnvFrom(List<EnvFromSource> envFrom) {
        this.envFrom = envFrom;
    }

    public List<AppPort> getPorts() {
        return ports;
    }

    public void setPorts(List<AppPort> ports) {
        this.ports = ports;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public HealthCheck getHealthCheck() {
        return healthCheck;
    }

    public void setHealthCheck(HealthCheck healthCheck) {
        this.healthCheck = healthCheck;
    }

    public List<AppVolume> getVolumes() {
        return volumes;
    }

    public void setVolumes(List<AppVolume> volumes) {
        this.volumes = volumes;
    }

    public Autoscaling getAutoscaling() {
        return autoscaling;
    }

    public void setAutoscaling(Autoscaling autoscaling) {
        this.autoscaling = autoscaling;
    }

    public Strategy getStrategy() {
        return strategy;
    }

    public void setStrategy(Strategy strategy) {
        this.strategy = strategy;
    }

    public String getRuntimeClassName() {
        return runtimeClassName;
    }

    public void setRuntimeClassName(String runtimeClassName) {
        this.runtimeClassName = runtimeClassName;
    }

    public Integer getProgressDeadlineSeconds() {
        return progressDeadlineSeconds;
    }

    public void setProgressDeadlineSeconds(Integer progressDeadlineSeconds) {
        this.progressDeadlineSeconds = progressDeadlineSeconds;
    }
}

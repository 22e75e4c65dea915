package dev.berth.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A port the App's container listens on; every port is also exposed by the App's Service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AppPort {
    // an IANA service name, as Kubernetes requires for named ports
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @Size(max = 15)
    private String name;

    @Required
    @Min(1)
    @Max(65535)
    private Integer containerPort;

    @Default("TCP")
    private Protocol protocol = Protocol.TCP;
    // absent: the same as containerPort
    @Min(1)
    @Max(65535)
    private Integer servicePort;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Integer getContainerPort() {
        return containerPort;
    }

    public void setContainerPort(Integer containerPort) {
        this.containerPort = containerPort;
    }

    public Protocol getProtocol() {
        return protocol;
    }

    public void setProtocol(Protocol protocol) {
        this.protocol = protocol;
    }

    public Integer getServicePort() {
        return servicePort;
    }

    public void setServicePort(Integer servicePort) {
        this.servicePort = servicePort;
    }
}

package dev.berth.operator.app;

import dev.berth.operator.model.AppPort;
import dev.berth.operator.model.Protocol;
import java.util.Locale;

/** The defaults of an {@link AppPort}, in one place for the Deployment, the Service and the URL. */
final class AppPorts {
    private AppPorts() {}

    /** A Service with several ports needs every port named; an unnamed one is called e.g. {@code tcp-8080}. */
    static String name(AppPort port) {
        if (port.getName() != null && !port.getName().isBlank()) {
            return port.getName();
        }
        return protocol(port).toLowerCase(Locale.ROOT) + "-" + port.getContainerPort();
    }

    static String protocol(AppPort port) {
        return port.getProtocol() == null
                ? Protocol.TCP.name()
                : port.getProtocol().name();
    }

    static int servicePort(AppPort port) {
        return port.getServicePort() != null ? port.getServicePort() : port.getContainerPort();
    }
}

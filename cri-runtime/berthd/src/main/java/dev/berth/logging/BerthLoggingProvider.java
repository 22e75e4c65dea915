package dev.berth.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/** Found by SLF4J through {@code META-INF/services}: binds {@link BerthLoggerFactory}. */
public final class BerthLoggingProvider implements SLF4JServiceProvider {

    private ThreadMdc mdc;
    private BerthLoggerFactory factory;
    private IMarkerFactory markers;

    @Override
    public void initialize() {
        mdc = new ThreadMdc();
        factory = new BerthLoggerFactory(mdc);
        markers = new BasicMarkerFactory();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }
}

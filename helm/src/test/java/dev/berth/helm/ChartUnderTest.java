package dev.berth.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The chart helm/berth, driven through helm-java: helm itself, embedded as a native library, so the
 * tests need no helm binary and download nothing.
 */
final class ChartUnderTest {

    static final String RELEASE = "berth";
    static final String NAMESPACE = "berth-system";

    private final Path moduleDir;

    ChartUnderTest() {
        // Surefire sets basedir to the module directory; an IDE run usually starts there too.
        this.moduleDir =
                Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(chartDir().resolve("Chart.yaml"))) {
            throw new IllegalStateException("no chart at " + chartDir() + ": run the tests from the helm/ module");
        }
    }

    Path chartDir() {
        return moduleDir.resolve("berth");
    }

    Path repositoryRoot() {
        return moduleDir.getParent();
    }

    /** helm lint --strict with the chart's default values (helm-java's lint takes no value overrides). */
    LintResult lintStrict() {
        return new Helm(chartDir()).lint().strict().call();
    }

    /** helm template with --set for each entry; fails with helm's own message on a schema violation. */
    RenderedManifests render(Map<String, ?> sets) {
        var template = new Helm(chartDir()).template().withName(RELEASE).withNamespace(NAMESPACE);
        sets.forEach(template::set);
        return RenderedManifests.parse(template.call());
    }

    RenderedManifests render() {
        return render(Map.of());
    }
}

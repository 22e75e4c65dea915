package dev.berth;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.berth.daemon.Berthd;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * berthd's layering: the gRPC layer ({@code cri}) over the features over the mechanics over the base
 * ({@code sys}, {@code store}, {@code process}), with {@code daemon} wiring them and used by none. A layer may
 * use any layer below it, never one above; no two packages depend on each other, however indirectly.
 */
@AnalyzeClasses(
        packages = "dev.berth",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.BerthdOnly.class})
class ArchitectureTest {

    /**
     * The feature entry points that still take a CRI message verbatim (and their helpers that read it), besides
     * {@code cri} and the OCI spec builder. A frozen list: new code maps CRI messages to records in {@code cri};
     * this list only shrinks as these move to domain values.
     */
    private static final List<String> TAKE_CRI_CONFIG_VERBATIM = List.of(
            "dev.berth.container.ContainerConfigs",
            "dev.berth.container.ContainerCreator",
            "dev.berth.container.ContainerService",
            "dev.berth.container.MountSources",
            "dev.berth.sandbox.CriResources",
            "dev.berth.sandbox.DnsConfigs",
            "dev.berth.sandbox.PodFiles",
            "dev.berth.sandbox.PodResources",
            "dev.berth.sandbox.SandboxConfigs",
            "dev.berth.sandbox.SandboxService",
            // the unversioned records of the last release hold protobuf bytes, parsed once when they are migrated
            "dev.berth.container.ContainerRecordFormat",
            "dev.berth.sandbox.SandboxRecordFormat");

    @ArchTest
    static final ArchRule layers = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("wiring")
            .definedBy("dev.berth.daemon..")
            .layer("grpc")
            .definedBy("dev.berth.cri", "dev.berth.cri.validation..")
            .layer("features")
            .definedBy(
                    "dev.berth.sandbox..",
                    "dev.berth.container..",
                    "dev.berth.imagestore..",
                    "dev.berth.streaming..",
                    "dev.berth.events..",
                    "dev.berth.stats..",
                    "dev.berth.network..",
                    "dev.berth.node..",
                    "dev.berth.build..")
            .layer("mechanics")
            .definedBy(
                    "dev.berth.oci..",
                    "dev.berth.runtime..",
                    "dev.berth.cgroup..",
                    "dev.berth.snapshot..",
                    "dev.berth.content..",
                    "dev.berth.image..")
            .layer("base")
            .definedBy(
                    "dev.berth.sys..",
                    "dev.berth.store..",
                    "dev.berth.process..",
                    "dev.berth.timing..",
                    "dev.berth.metrics..",
                    "dev.berth.logging..")
            .whereLayer("wiring")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("grpc")
            .mayOnlyBeAccessedByLayers("wiring")
            .whereLayer("features")
            .mayOnlyBeAccessedByLayers("wiring", "grpc")
            .whereLayer("mechanics")
            .mayOnlyBeAccessedByLayers("wiring", "grpc", "features")
            .whereLayer("base")
            .mayOnlyBeAccessedByLayers("wiring", "grpc", "features", "mechanics");

    @ArchTest
    static final ArchRule noCycles =
            slices().assignedFrom(new TopLevelPackages()).should().beFreeOfCycles();

    @ArchTest
    static final ArchRule nativeCallsOnlyInSys = noClasses()
            .that()
            .resideOutsideOfPackage("dev.berth.sys..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("com.sun.jna..")
            .because("native calls go through the JNA sys package only");

    @ArchTest
    static final ArchRule protobufOnlyAtTheEdge = noClasses()
            .that()
            .resideOutsideOfPackages("dev.berth.cri..", "dev.berth.oci..")
            .and()
            .haveNameNotMatching(namedOrNestedIn(TAKE_CRI_CONFIG_VERBATIM))
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.berth.cri.v1..", "com.google.protobuf..")
            .because("CRI messages are mapped to records in cri; only the OCI spec builder and the feature entry"
                    + " points that take a CRI config verbatim see them");

    @ArchTest
    static final ArchRule nothingDependsOnTheWiring = noClasses()
            .that()
            .resideOutsideOfPackage("dev.berth.daemon..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.berth.daemon..")
            .because("daemon is the start-up root that wires the features; features own the interfaces it fills");

    private static String namedOrNestedIn(List<String> classNames) {
        return classNames.stream().map(Pattern::quote).collect(Collectors.joining("|", "(", ")(\\$.*)?"));
    }

    /**
     * One slice per package under {@code dev.berth} with its subpackages ({@code dev.berth.(*)..}), except that
     * the generated CRI classes ({@code dev.berth.cri.v1}) are a slice of their own, apart from the gRPC layer.
     */
    static final class TopLevelPackages implements SliceAssignment {

        private static final String ROOT = "dev.berth.";
        private static final String PROTOCOL = "dev.berth.cri.v1";

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            if (name.equals(PROTOCOL) || name.startsWith(PROTOCOL + ".")) {
                return SliceIdentifier.of("cri.v1");
            }
            if (!name.startsWith(ROOT)) {
                return SliceIdentifier.ignore();
            }
            String rest = name.substring(ROOT.length());
            int dot = rest.indexOf('.');
            return SliceIdentifier.of(dot < 0 ? rest : rest.substring(0, dot));
        }

        @Override
        public String getDescription() {
            return "slices dev.berth.(*).. with dev.berth.cri.v1 apart";
        }
    }

    /** berthd's own classes, not the libraries (berth-image, testkit) that share the {@code dev.berth} root. */
    public static final class BerthdOnly implements ImportOption {

        private static final String OWN =
                Berthd.class.getProtectionDomain().getCodeSource().getLocation().getPath();

        @Override
        public boolean includes(Location location) {
            String path = location.asURI().getPath();
            return path != null && path.startsWith(OWN);
        }
    }
}

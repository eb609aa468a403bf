package dev.vigil.checks.internal;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelFunctionBinding;

/**
 * The two CEL environments rules are compiled in: target-wide expressions see {@code doc}, {@code
 * now} and {@code records_by_type}; per-resource expressions ({@code assert}, {@code message},
 * {@code resource_key} of a check with {@code for_each}) also see {@code item}. Both have the
 * standard macros, optional syntax ({@code ?.}, {@code orValue}), the strings extension and the
 * Vigil functions {@code is_private_ip(string)}, {@code is_public_ip(string)}, {@code fqdn(string)}
 * and {@code txt_norm(string)}. Thread-safe and built once.
 */
public final class CelEnvironment {

    public static final String DOC = "doc";
    public static final String ITEM = "item";
    public static final String NOW = "now";
    public static final String RECORDS_BY_TYPE = "records_by_type";
    public static final String RECORDS_BY_NAME = "records_by_name";

    private static final Cel TARGET = build(false);
    private static final Cel ITEMS = build(true);

    private CelEnvironment() {}

    /** The environment of target-wide expressions. */
    public static Cel target() {
        return TARGET;
    }

    /** The environment of per-resource expressions (with {@code item}). */
    public static Cel perItem() {
        return ITEMS;
    }

    private static Cel build(boolean withItem) {
        var builder =
                CelFactory.legacyCelBuilder()
                        .setOptions(
                                CelOptions.current()
                                        .enableOptionalSyntax(true)
                                        .enableTimestampEpoch(true)
                                        .enableHeterogeneousNumericComparisons(true)
                                        .comprehensionMaxIterations(10_000_000)
                                        .build())
                        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                        .addCompilerLibraries(
                                CelExtensions.optional(),
                                CelExtensions.strings(),
                                CelExtensions.bindings())
                        .addRuntimeLibraries(CelExtensions.optional(), CelExtensions.strings())
                        .addVar(DOC, MapType.create(SimpleType.STRING, SimpleType.DYN))
                        .addVar(NOW, SimpleType.TIMESTAMP)
                        .addVar(
                                RECORDS_BY_TYPE,
                                MapType.create(SimpleType.STRING, ListType.create(SimpleType.DYN)))
                        .addVar(
                                RECORDS_BY_NAME,
                                MapType.create(SimpleType.STRING, ListType.create(SimpleType.DYN)))
                        .addFunctionDeclarations(
                                CelFunctionDecl.newFunctionDeclaration(
                                        "is_private_ip",
                                        CelOverloadDecl.newGlobalOverload(
                                                "is_private_ip_string",
                                                SimpleType.BOOL,
                                                SimpleType.STRING)),
                                CelFunctionDecl.newFunctionDeclaration(
                                        "is_public_ip",
                                        CelOverloadDecl.newGlobalOverload(
                                                "is_public_ip_string",
                                                SimpleType.BOOL,
                                                SimpleType.STRING)),
                                CelFunctionDecl.newFunctionDeclaration(
                                        "txt_norm",
                                        CelOverloadDecl.newGlobalOverload(
                                                "txt_norm_string",
                                                SimpleType.STRING,
                                                SimpleType.STRING)),
                                CelFunctionDecl.newFunctionDeclaration(
                                        "fqdn",
                                        CelOverloadDecl.newGlobalOverload(
                                                "fqdn_string",
                                                SimpleType.STRING,
                                                SimpleType.STRING)))
                        .addFunctionBindings(
                                CelFunctionBinding.from(
                                        "is_private_ip_string",
                                        String.class,
                                        IpAddresses::isPrivate),
                                CelFunctionBinding.from(
                                        "is_public_ip_string", String.class, IpAddresses::isPublic),
                                CelFunctionBinding.from(
                                        "fqdn_string", String.class, IpAddresses::fqdn),
                                CelFunctionBinding.from(
                                        "txt_norm_string", String.class, IpAddresses::txtNorm));
        if (withItem) {
            builder.addVar(ITEM, SimpleType.DYN);
        }
        return builder.build();
    }
}

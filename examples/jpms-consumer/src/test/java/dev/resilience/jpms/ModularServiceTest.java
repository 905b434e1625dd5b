package dev.resilience.jpms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Runs on the module path: the library is used as named modules that hide their internals. */
class ModularServiceTest {

    @Test
    void theServiceRunsAsANamedModuleOnTheLibrarysNamedModules() throws Exception {
        assertThat(ModularService.class.getModule().getName()).isEqualTo("dev.resilience.jpms");
        for (Class<?> api : ModularService.API) {
            Module module = api.getModule();
            assertThat(module.isNamed()).as(api.getName()).isTrue();
            assertThat(module.getDescriptor().isAutomatic()).as(module.getName() + " has a module-info").isFalse();
            assertThat(module.isExported(api.getPackageName())).as(api.getPackageName()).isTrue();
        }

        assertThat(ModularService.run()).isEqualTo("ok true false UP");
    }

    @Test
    void noModuleExportsItsInternalPackageToUs() {
        Module us = ModularService.class.getModule();
        for (Class<?> api : ModularService.API) {
            Module module = api.getModule();
            for (String pkg : module.getPackages()) {
                if (pkg.contains(".internal")) {
                    assertThat(module.isExported(pkg, us)).as(module.getName() + " exports " + pkg).isFalse();
                }
            }
            assertThat(module.getPackages()).as(module.getName() + " packages").isNotEmpty();
        }
    }
}

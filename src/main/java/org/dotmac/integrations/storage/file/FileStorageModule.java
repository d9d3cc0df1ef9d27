package org.dotmac.integrations.storage.file;

import java.util.List;

import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.ProviderBinding;
import org.dotmac.integrations.core.ProviderModule;
import org.dotmac.integrations.core.Setting;

/** Objects as files under {@code <data-dir>/storage}: one instance, or a shared volume. */
public final class FileStorageModule implements ProviderModule {

    @Override
    public Integration integration() {
        return Integration.STORAGE;
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public List<Setting> settings() {
        return List.of();
    }

    @Override
    public boolean remote() {
        return false;
    }

    @Override
    public void bind(ProviderBinding binding) throws Exception {
        binding.bind("fileObjectStore", new FileObjectStore(binding.dataDir().resolve("storage")));
    }
}

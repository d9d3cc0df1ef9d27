package org.dotmac.integrations.storage.file;

import org.dotmac.integrations.core.Integration;
import org.dotmac.integrations.core.LocalProviderModule;
import org.dotmac.integrations.core.ProviderBinding;

/** Objects as files under {@code <data-dir>/storage}: one instance, or a shared volume. */
public final class FileStorageModule extends LocalProviderModule {

    public FileStorageModule() {
        super(Integration.STORAGE, "file");
    }

    @Override
    public void bind(ProviderBinding binding) throws Exception {
        binding.bind("fileObjectStore", new FileObjectStore(binding.dataDir().resolve("storage")));
    }
}

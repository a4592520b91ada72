#include "container_hook.h"

namespace wasmio::io::async {

AsyncClient* enable_async(ContainerOptions& options, AsyncIo& service, WindowSource& windows,
                          AsyncClient::Notifier notify) {
  std::shared_ptr<AsyncClient> client = service.client(options.name, std::move(notify));
  AsyncClient* raw = client.get();
  options.extra_import_module = std::string(kImportModule);
  options.extra_imports = [raw, &windows](Store& store, const Module& module,
                                          const ContainerBinding& binding,
                                          std::vector<Extern>& externs, std::string* error) {
    if (!raw->imports(store, module, externs, error)) return false;
    raw->bind(binding, windows);
    return true;
  };
  options.extension = std::move(client);
  return raw;
}

}  // namespace wasmio::io::async

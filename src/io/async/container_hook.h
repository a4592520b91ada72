// Serving module "wasmio_async" in an io::DriverContainer: a client of the service, bound to the
// container's granted windows when the container binds, owned by the container (cancelled and
// quiesced before the container's memory goes).
#pragma once

#include "../container/driver_container.h"
#include "async_io.h"

namespace wasmio::io::async {

// Sets options.extra_import_module/extra_imports/extension; returns the client (valid while the
// container lives).
AsyncClient* enable_async(ContainerOptions& options, AsyncIo& service, WindowSource& windows,
                          AsyncClient::Notifier notify = {});

}  // namespace wasmio::io::async

# boex as a CMake package: `cmake --install build --prefix P` puts the headers (under
# include/boex/, keeping the core/ surrogates/ ... layout the sources include), the static
# libraries, the boex CLI, the libtorch plugin when built, boexConfig.cmake with its version file
# and boex.pc into P; find_package(boex) then gives boex::boex.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(BOEX_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/boex)
set(boex_layers core fits surrogates acquisitions storage engine)
set(boex_libraries boex_core boex_fits boex_surrogates boex_surrogate_registry boex_acquisitions boex_storage boex_engine)

foreach(layer ${boex_layers})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${layer}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/boex/${layer}
          FILES_MATCHING PATTERN "*.h")
endforeach()

install(TARGETS ${boex_libraries} EXPORT boexTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
# One target for users: everything, with the include directories and the CPU flags boex was
# compiled with. Eigen's vector alignment depends on -march, so code that shares Eigen objects
# with boex must be compiled the same way.
add_library(boex_all INTERFACE)
set_target_properties(boex_all PROPERTIES EXPORT_NAME boex)
target_link_libraries(boex_all INTERFACE boex_engine)
if(BOEX_NATIVE)
  target_compile_options(boex_all INTERFACE -march=native)
endif()
install(TARGETS boex_all EXPORT boexTargets)
install(EXPORT boexTargets NAMESPACE boex:: DESTINATION ${BOEX_CMAKE_DIR})

if(TARGET boex)
  install(TARGETS boex RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
set(BOEX_TORCH_PLUGIN_RELATIVE "")
if(TARGET boex_torch)
  install(TARGETS boex_torch LIBRARY DESTINATION ${BOEX_TORCH_PLUGIN_DIR})
  set(BOEX_TORCH_PLUGIN_RELATIVE ${BOEX_TORCH_PLUGIN_DIR}/libboex_torch.so)
  # The shipped PFN checkpoints (surrogates/pfn_options.h finds them relative to the prefix).
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/models/ DESTINATION ${CMAKE_INSTALL_DATADIR}/boex/models FILES_MATCHING PATTERN "*.boexpfn")
endif()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/boexConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/boexConfig.cmake INSTALL_DESTINATION ${BOEX_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/boexConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/boexConfig.cmake ${PROJECT_BINARY_DIR}/boexConfigVersion.cmake
        DESTINATION ${BOEX_CMAKE_DIR})

file(RELATIVE_PATH BOEX_PC_PREFIX_FROM_PCDIR ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
set(BOEX_PC_REQUIRES "")
set(BOEX_PC_CFLAGS "")
if(BOEX_HAVE_POSTGRES)
  set(BOEX_PC_REQUIRES " libpqxx")
endif()
if(BOEX_NATIVE)
  set(BOEX_PC_CFLAGS " -march=native")
endif()
set(CMAKE_DL_LIBS_FLAG "")
if(CMAKE_DL_LIBS)
  set(CMAKE_DL_LIBS_FLAG -l${CMAKE_DL_LIBS})
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/boex.pc.in ${PROJECT_BINARY_DIR}/boex.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/boex.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

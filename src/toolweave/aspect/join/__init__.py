"""Join point kinds, one module per family: logic, package, directive, function, calls,
structs, decls. Importing a module registers its kinds."""

"""Readers and writers: PrefLib files, long-format CSV/pandas tables, netCDF and zarr stores.

``sc.read_preflib``, ``sc.write_preflib``, ``sc.read_csv``, ``sc.from_dataframe`` and
``sc.to_dataframe`` are re-exported at the top level.
"""

from __future__ import annotations

from .preflib import DATA_TYPES, infer_data_type, read_preflib, write_preflib
from .stores import from_dataset, read_netcdf, read_zarr, to_dataset, to_netcdf, to_zarr
from .tabular import from_dataframe, read_csv, to_dataframe

__all__ = [
    "read_preflib", "write_preflib", "infer_data_type", "DATA_TYPES",
    "read_csv", "from_dataframe", "to_dataframe",
    "to_netcdf", "read_netcdf", "to_zarr", "read_zarr", "to_dataset", "from_dataset",
]

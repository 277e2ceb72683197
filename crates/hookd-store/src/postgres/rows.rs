//! [`DbRow`] for PostgreSQL rows.

use tokio_postgres::Row;
use tokio_postgres::types::FromSql;

use crate::StoreError;
use crate::rows::DbRow;

fn get<'a, T: FromSql<'a>>(row: &'a Row, col: &str) -> Result<T, StoreError> {
    row.try_get(col).map_err(|e| StoreError::Other(format!("column {col}: {e}").into()))
}

impl DbRow for Row {
    fn text(&self, col: &str) -> Result<String, StoreError> {
        get(self, col)
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError> {
        get(self, col)
    }
    fn int(&self, col: &str) -> Result<i64, StoreError> {
        get(self, col)
    }
    fn opt_int(&self, col: &str) -> Result<Option<i64>, StoreError> {
        get(self, col)
    }
    fn flag(&self, col: &str) -> Result<bool, StoreError> {
        get(self, col)
    }
    fn blob(&self, col: &str) -> Result<Vec<u8>, StoreError> {
        get(self, col)
    }
    fn opt_blob(&self, col: &str) -> Result<Option<Vec<u8>>, StoreError> {
        get(self, col)
    }
}

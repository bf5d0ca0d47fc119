//! What the catalogue page shows and edits: categories, subcategories, causes and areas.

use serde::{Deserialize, Serialize};

use crate::ui::choice::Choice;

/// One entry of the typification catalogue (a subcategory or a cause) on the management
/// page. Inactive entries stay listed there so they can be reactivated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueEntry {
    pub id: String,
    pub name: String,
    pub active: bool,
}

/// A category with the area it escalates to and its subcategories, in catalogue order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryEntry {
    pub id: String,
    pub name: String,
    pub description: String,
    pub area_id: Option<String>,
    pub area_name: Option<String>,
    pub active: bool,
    pub subcategories: Vec<CatalogueEntry>,
}

/// An area of the escalation matrix and the staff who answer for it (its especialistas).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaEntry {
    pub id: String,
    pub name: String,
    /// (user id, "Name — Role").
    pub members: Vec<Choice>,
}

/// Everything the catalogue page (`/equipo/catalogo`) shows and edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueAdmin {
    pub categories: Vec<CategoryEntry>,
    pub causes: Vec<CatalogueEntry>,
    pub areas: Vec<AreaEntry>,
    /// Active staff who can be made members of an area.
    pub staff: Vec<Choice>,
}

//! Many machines, one account: each device writes its figures into a folder the user's own
//! replication keeps in step (Syncthing, a cloud drive, a shared disk, a git repository), and reads
//! the others'. runway opens no socket; the folder is all it knows of the other machines.

pub mod due;
pub mod elsewhere;
pub mod file;
pub mod fit;
pub mod folder;
pub mod identity;
pub mod kept;
pub mod superseded;

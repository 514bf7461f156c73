//! The command table: every command aiinfra has, in the order `aiinfra --help` lists
//! them. A list command is one declaration (`list::ListSpec`) in its own file; the
//! others are a `CommandDef` beside their code (`command.rs`). A new command is one
//! line in `commands!` below, which both declares its file and lists it.

use crate::command::{CommandDef, GroupDef, Returns};

/// One entry of the command table.
pub enum Def {
    /// A list over one contract table.
    List(&'static list::ListSpec),
    /// Any other command.
    Cmd(&'static CommandDef),
    /// A command with subcommands (`db`).
    Group(&'static GroupDef),
}

/// Declares each command's file and lists it in `COMMANDS`, in order:
/// `list chips` (its `SPEC`), `cmd search` (its `CMD`), `group db` (its `GROUP`),
/// `cmds docs (COMPLETIONS, MAN)` (several commands of one file).
macro_rules! commands {
    (@acc [$($done:expr),*] $(,)?) => {
        /// Every command, in the order `aiinfra --help` lists them.
        pub static COMMANDS: &[Def] = &[$($done),*];
    };
    (@acc [$($done:expr),*] , $($rest:tt)*) => { commands!(@acc [$($done),*] $($rest)*); };
    (@acc [$($done:expr),*] list $file:ident $($rest:tt)*) => {
        pub mod $file;
        commands!(@acc [$($done,)* Def::List(&$file::SPEC)] $($rest)*);
    };
    (@acc [$($done:expr),*] cmd $file:ident $($rest:tt)*) => {
        pub mod $file;
        commands!(@acc [$($done,)* Def::Cmd(&$file::CMD)] $($rest)*);
    };
    (@acc [$($done:expr),*] group $file:ident $($rest:tt)*) => {
        pub mod $file;
        commands!(@acc [$($done,)* Def::Group(&$file::GROUP)] $($rest)*);
    };
    (@acc [$($done:expr),*] cmds $file:ident ($($item:ident),*) $($rest:tt)*) => {
        pub mod $file;
        commands!(@acc [$($done,)* $(Def::Cmd(&$file::$item)),*] $($rest)*);
    };
    ($($entries:tt)*) => { commands!(@acc [] $($entries)*); };
}

pub mod list;

commands! {
    list chips,
    list platforms,
    list models,
    list frameworks,
    list pilot_zones,
    list centers,
    list regions,
    list datasets,
    list languages,
    list apollo,
    list policies,
    list facts,
    cmd search,
    cmd show,
    cmd compare,
    cmd timeline,
    list sources,
    cmd report,
    cmd schema,
    cmd sql,
    group db,
    cmds docs (COMPLETIONS, MAN),
}

/// What a list command can return.
pub const LIST_RETURNS: &[Returns] = &[Returns::Query];

impl Def {
    pub fn name(&self) -> &'static str {
        match self {
            Def::List(s) => s.name(),
            Def::Cmd(c) => c.name,
            Def::Group(g) => g.name,
        }
    }

    pub fn about(&self) -> &'static str {
        match self {
            Def::List(s) => s.about,
            Def::Cmd(c) => c.about,
            Def::Group(g) => g.about,
        }
    }
}

/// Find a top-level command by name.
pub fn find(name: &str) -> Option<&'static Def> {
    COMMANDS.iter().find(|d| d.name() == name)
}

/// The command a group holds under `name` (`db build`).
pub fn find_in_group(name: &str) -> Option<&'static CommandDef> {
    COMMANDS.iter().find_map(|d| match d {
        Def::Group(g) => g.commands.iter().find(|c| c.name == name),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::contract::TABLES;

    #[test]
    fn every_list_spec_names_real_columns() {
        for def in COMMANDS {
            if let Def::List(spec) = def {
                spec.check()
                    .unwrap_or_else(|e| panic!("{}: {e}", spec.name()));
            }
        }
    }

    #[test]
    fn every_table_has_a_list_command_named_after_it() {
        for table in TABLES {
            let list = COMMANDS.iter().find_map(|d| match d {
                Def::List(s) if s.table == table.name => Some(*s),
                _ => None,
            });
            let list = list.unwrap_or_else(|| panic!("{} has no list command", table.name));
            assert_eq!(list.name(), table.short_name());
        }
    }
}

//! The names of every command, shared by build.rs (permissions) and the capability test.
pub const COMMANDS: &[&str] = &[
    // app
    "app_status",
    "open_data_dir",
    "load_demo",
    "start_blank",
    // settings
    "get_township",
    "save_township",
    "list_tags",
    "add_tag",
    "update_tag",
    "delete_tag",
    "list_key_rules",
    "add_key_rule",
    "update_key_rule",
    "delete_key_rule",
    // villages
    "list_villages",
    "add_village",
    "update_village",
    "delete_village",
    "reorder_villages",
    "add_groups",
    "add_numbered_groups",
    "rename_group",
    "delete_group",
    "reorder_groups",
    // households
    "list_households",
    "get_household",
    "check_household",
    "add_household",
    "update_household",
    "delete_household",
    "set_household_status",
    // cadres
    "list_cadres",
    "get_cadre",
    "add_cadre",
    "update_cadre",
    "delete_cadre",
    "list_units",
    // stats
    "register_stats",
];

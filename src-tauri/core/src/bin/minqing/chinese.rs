//! clap's own words are English ("Usage:", "Options:", "error: unexpected argument …"); a
//! coordinator or a district clerk reads Chinese. The help's headings and the built-in flags
//! are renamed on every command, and a parse error is said again in Chinese from its parts.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// The command tree with Chinese headings, help and version flags.
pub fn command(cmd: Command) -> Command {
    localise(cmd, true)
}

fn localise(cmd: Command, top: bool) -> Command {
    let mut cmd = cmd
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .mut_args(|a| {
            if a.is_positional() {
                a.help_heading("参数")
            } else {
                a.help_heading("选项")
            }
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading("选项"),
        );
    if top {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本")
                .help_heading("选项"),
        );
    }
    cmd.mut_subcommands(|c| localise(c, false))
}

fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// A parse error in Chinese, with what to do. None for help and version (printed as they are).
pub fn error_text(e: &clap::Error) -> Option<String> {
    let arg = context(e, ContextKind::InvalidArg);
    let value = context(e, ContextKind::InvalidValue);
    let text = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::UnknownArgument => format!("不认识的参数“{arg}”。"),
        ErrorKind::InvalidSubcommand => format!(
            "不认识的命令“{}”。",
            context(e, ContextKind::InvalidSubcommand)
        ),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}。"),
        ErrorKind::MissingSubcommand => "缺少要执行的命令。".into(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let valid = context(e, ContextKind::ValidValue);
            if valid.is_empty() {
                format!("参数 {arg} 的值“{value}”无效。")
            } else {
                format!("参数 {arg} 的值“{value}”无效，可以是：{valid}。")
            }
        }
        ErrorKind::ArgumentConflict => format!(
            "参数 {arg} 不能和 {} 同时使用。",
            context(e, ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues => format!("多余的值“{value}”。"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的值个数不对。")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 需要写成 {arg}=值。"),
        ErrorKind::InvalidUtf8 => "参数中有无法识别的字符。".into(),
        _ => "命令参数有误。".into(),
    };
    Some(format!(
        "错误：{text}请用 minqing --help（或 minqing 命令 --help）查看用法。"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    #[derive(Parser)]
    #[command(name = "minqing", version, about = "测试")]
    struct T {
        /// 数据库
        #[arg(long)]
        db: Option<String>,
        #[command(subcommand)]
        cmd: Option<Sub>,
    }

    #[derive(clap::Subcommand)]
    enum Sub {
        /// 导出
        Export {
            #[arg(long)]
            out: String,
        },
    }

    fn parse(args: &[&str]) -> clap::Error {
        command(T::command())
            .try_get_matches_from(args)
            .err()
            .unwrap()
    }

    #[test]
    fn help_and_errors_read_in_chinese() {
        let help = command(T::command()).render_help().to_string();
        assert!(
            help.contains("用法：") && help.contains("选项") && help.contains("显示帮助"),
            "{help}"
        );
        assert!(help.contains("命令") && help.contains("导出"), "{help}");
        for english in ["Usage", "Options", "Print help", "Commands"] {
            assert!(!help.contains(english), "{english} in {help}");
        }
        let e = error_text(&parse(&["minqing", "--nope"])).unwrap();
        assert!(e.contains("不认识的参数“--nope”"), "{e}");
        let e = error_text(&parse(&["minqing", "export"])).unwrap();
        assert!(e.contains("缺少必需的参数") && e.contains("--out"), "{e}");
        let e = error_text(&parse(&["minqing", "frobnicate"])).unwrap();
        assert!(e.contains("frobnicate"), "{e}");
        assert!(error_text(&parse(&["minqing", "--help"])).is_none());
    }
}

//! Golden outputs from aws-cli's own tests (`tests/unit/test_text.py`,
//! `tests/unit/output/test_table_formatter.py`, `test_yaml_output.py`) and the AWS CLI user
//! guide ("Setting the AWS CLI output format", "Filtering AWS CLI output").

use super::*;

fn j(s: &str) -> Doc {
    crate::core::cli::parse_json_ordered(s).unwrap()
}

#[test]
fn text_golden_vectors() {
    let cases: &[(&str, &str)] = &[
        (r#"{"a":1,"b":2,"c":3}"#, "1\t2\t3\n"),
        ("[1,2,3]", "1\t2\t3\n"),
        (
            r#"{"foo":[{"a":1,"b":2,"c":3},{"a":4,"b":5,"c":6}]}"#,
            "FOO\t1\t2\t3\nFOO\t4\t5\t6\n",
        ),
        (
            r#"{"foo":[{"a":1,"b":2,"c":3},{"a":4,"c":5},{"a":6,"d":7}]}"#,
            "FOO\t1\t2\t3\t\nFOO\t4\t\t5\t\nFOO\t6\t\t\t7\n",
        ),
        (
            r#"{"bar":[{"foo":[{"a":1,"b":2,"c":3},{"a":4,"c":5}]},{"foo":[{"b":6,"d":7},{"b":8,"c":9}]}]}"#,
            "FOO\t1\t2\t3\nFOO\t4\t\t5\nFOO\t6\t\t7\nFOO\t8\t9\t\n",
        ),
        (
            r#"{"foo":[{"a":1,"b":{"y":"y","z":"z"},"c":3},{"a":4,"b":{"y":"y","z":"z"},"c":6}]}"#,
            "FOO\t1\t3\nB\ty\tz\nFOO\t4\t6\nB\ty\tz\n",
        ),
        (r#"[["1","2","3"],["4","5","6"]]"#, "1\t2\t3\n4\t5\t6\n"),
        (
            r#"[[["1","2","3"],["4","5","6"]],[["7","8","9"],["0","1","2"]]]"#,
            "1\t2\t3\n4\t5\t6\n7\t8\t9\n0\t1\t2\n",
        ),
        (r#""foobarbaz""#, "foobarbaz\n"),
        // Identifiers are upper-cased as Python's str.upper does (a DynamoDB attribute name
        // may be any Unicode text).
        (r#"{"größe":[{"a":1},{"a":2}]}"#, "GRÖSSE\t1\nGRÖSSE\t2\n"),
        ("[]", ""),
        ("[[]]", ""),
        (
            r#"{"EngineDefaults":{"Marker":null}}"#,
            "ENGINEDEFAULTS\tNone\n",
        ),
        (
            r#"{"Groups":["a","b"],"Name":"x"}"#,
            "x\nGROUPS\ta\nGROUPS\tb\n",
        ),
        (r#"["a",["b","c"],"d"]"#, "a\td\nb\tc\n"),
        (r#"{"X":{"Y":{"Z":1}}}"#, "Y\t1\n"),
        ("null", "None\n"),
        ("[true, 1.0]", "True\t1.0\n"),
    ];
    for (input, want) in cases {
        assert_eq!(text(&j(input)), *want, "{input}");
    }
}

#[test]
fn the_issues_query_prints_one_line_per_instance() {
    let rows = j(r#"[["i-1234567890abcdef0","running"],["i-0598c7d356eba48d7","stopped"]]"#);
    assert_eq!(
        text(&rows),
        "i-1234567890abcdef0\trunning\ni-0598c7d356eba48d7\tstopped\n"
    );
    assert_eq!(
        table(&rows, "DescribeInstances", 80),
        "------------------------------------\n\
         |         DescribeInstances        |\n\
         +----------------------+-----------+\n\
         |  i-1234567890abcdef0 |  running  |\n\
         |  i-0598c7d356eba48d7 |  stopped  |\n\
         +----------------------+-----------+\n"
    );
    assert_eq!(
        yaml(&rows),
        "- - i-1234567890abcdef0\n  - running\n- - i-0598c7d356eba48d7\n  - stopped\n"
    );
}

#[test]
fn tables_from_the_user_guide_and_aws_clis_tests() {
    // Banker's rounding of the column widths.
    assert_eq!(
        table(&j(r#"[["x","yyy"]]"#), "TTTTTTTTTTTTTTTT", 80),
        "------------------\n|TTTTTTTTTTTTTTTT|\n+------+---------+\n|  x   |  yyy    |\n+------+---------+\n"
    );
    // The output-format page's DescribeVolumes tables.
    let rows = j(
        r#"[["vol-e11a5288","i-a071c394","us-west-2a",30],["vol-2e410a47","i-4b41a37c","us-west-2a",8]]"#,
    );
    assert_eq!(
        table(&rows, "DescribeVolumes", 80),
        "----------------------------------------------------\n\
         |                  DescribeVolumes                 |\n\
         +--------------+--------------+--------------+-----+\n\
         |  vol-e11a5288|  i-a071c394  |  us-west-2a  |  30 |\n\
         |  vol-2e410a47|  i-4b41a37c  |  us-west-2a  |  8  |\n\
         +--------------+--------------+--------------+-----+\n"
    );
    let hashes = j(
        r#"[{"ID":"vol-e11a5288","InstanceId":"i-a071c394","AZ":"us-west-2a","Size":30},{"ID":"vol-2e410a47","InstanceId":"i-4b41a37c","AZ":"us-west-2a","Size":8}]"#,
    );
    assert_eq!(
        table(&hashes, "DescribeVolumes", 80),
        "------------------------------------------------------\n\
         |                   DescribeVolumes                  |\n\
         +------------+----------------+--------------+-------+\n\
         |     AZ     |      ID        | InstanceId   | Size  |\n\
         +------------+----------------+--------------+-------+\n\
         |  us-west-2a|  vol-e11a5288  |  i-a071c394  |  30   |\n\
         |  us-west-2a|  vol-2e410a47  |  i-4b41a37c  |  8    |\n\
         +------------+----------------+--------------+-------+\n"
    );
    // A dict with scalars and a nested list of dicts.
    let b = j(
        r#"{"Id":"i-1234567890abcdef0","State":"running","Type":"t2.micro","Tags":[{"Key":"Name","Value":"web-server"},{"Key":"Env","Value":"prod"}]}"#,
    );
    assert_eq!(
        table(&b, "DescribeInstances", 80),
        "------------------------------------------------\n\
         |               DescribeInstances              |\n\
         +----------------------+----------+------------+\n\
         |          Id          |  State   |   Type     |\n\
         +----------------------+----------+------------+\n\
         |  i-1234567890abcdef0 |  running |  t2.micro  |\n\
         +----------------------+----------+------------+\n\
         ||                    Tags                    ||\n\
         |+---------------+----------------------------+|\n\
         ||      Key      |           Value            ||\n\
         |+---------------+----------------------------+|\n\
         ||  Name         |  web-server                ||\n\
         ||  Env          |  prod                      ||\n\
         |+---------------+----------------------------+|\n"
    );
    assert_eq!(
        table(&j(r#"{"Count":1,"Items":[{"Name":"a"}]}"#), "Scan", 80),
        "----------------\n|     Scan     |\n+--------+-----+\n|  Count |  1  |\n+--------+-----+\n||    Items   ||\n|+------------+|\n||    Name    ||\n|+------------+|\n||  a         ||\n|+------------+|\n"
    );
    // Wider than 80: a one-row section turns into key/value rows.
    let user = j(
        r#"{"User":{"Path":"/","UserName":"Alice","UserId":"AIDA1111111111EXAMPLE","Arn":"arn:aws:iam::123456789012:user/Alice","CreateDate":"2014-10-16T16:03:09+00:00"}}"#,
    );
    assert_eq!(
        table(&user, "GetUser", 80),
        "----------------------------------------------------------\n\
         |                         GetUser                        |\n\
         +--------------------------------------------------------+\n\
         ||                         User                         ||\n\
         |+-------------+----------------------------------------+|\n\
         ||  Arn        |  arn:aws:iam::123456789012:user/Alice  ||\n\
         ||  CreateDate |  2014-10-16T16:03:09+00:00             ||\n\
         ||  Path       |  /                                     ||\n\
         ||  UserId     |  AIDA1111111111EXAMPLE                 ||\n\
         ||  UserName   |  Alice                                 ||\n\
         |+-------------+----------------------------------------+|\n"
    );
    // aws-cli's SIMPLE_DICT golden table.
    let simple = j(
        r#"{"Attributes":{"a":"0","b":"345600","c":"0","d":"65536","e":"1351044153","f":"0","ResponseMetadata":{"RequestId":"0c8d2786-b7b4-56e2-a823-6e80a404d6fd"}}}"#,
    );
    assert_eq!(
        table(&simple, "OperationName", 80),
        "-----------------------------------------------------------\n\
         |                      OperationName                      |\n\
         +---------------------------------------------------------+\n\
         ||                      Attributes                       ||\n\
         |+---+-----------+-----+----------+----------------+-----+|\n\
         || a |     b     |  c  |    d     |       e        |  f  ||\n\
         |+---+-----------+-----+----------+----------------+-----+|\n\
         ||  0|  345600   |  0  |  65536   |  1351044153    |  0  ||\n\
         |+---+-----------+-----+----------+----------------+-----+|\n\
         |||                  ResponseMetadata                   |||\n\
         ||+-----------+-----------------------------------------+||\n\
         |||  RequestId|  0c8d2786-b7b4-56e2-a823-6e80a404d6fd   |||\n\
         ||+-----------+-----------------------------------------+||\n"
    );
    // A top-level scalar draws the title box only; falsy values draw nothing.
    assert_eq!(
        table(&j(r#""i-0abc""#), "DescribeInstances", 80),
        "-------------------\n|DescribeInstances|\n+-----------------+\n"
    );
    for falsy in ["null", "[]", "{}", "\"\"", "0", "false"] {
        assert_eq!(table(&j(falsy), "X", 80), "", "{falsy}");
    }
}

#[test]
fn json_prints_four_spaces_and_nothing_for_an_empty_object() {
    assert_eq!(json(&j("{}")), "");
    assert_eq!(json(&j("[]")), "[]\n");
    assert_eq!(json(&j("null")), "null\n");
    assert_eq!(json(&j(r#""i-a071c394""#)), "\"i-a071c394\"\n");
    assert_eq!(
        json(&j(r#"{"A":[],"B":{},"C":[1,{"x":null,"y":true,"z":1.0,"w":1e16}]}"#)),
        "{\n    \"A\": [],\n    \"B\": {},\n    \"C\": [\n        1,\n        {\n            \"x\": null,\n            \"y\": true,\n            \"z\": 1.0,\n            \"w\": 1e+16\n        }\n    ]\n}\n"
    );
}

#[test]
fn yaml_as_the_cli_v2_writes_it() {
    assert_eq!(
        yaml(&j(r#"{"Users":[{"Path":"/","UserName":"testuser-50","UserId":"EXAMPLEUSERID","Arn":"arn:aws:iam::12345:user/testuser1","CreateDate":"2013-02-12T19:08:52Z"}]}"#)),
        "Users:\n- Arn: arn:aws:iam::12345:user/testuser1\n  CreateDate: '2013-02-12T19:08:52Z'\n  Path: /\n  UserId: EXAMPLEUSERID\n  UserName: testuser-50\n"
    );
    assert_eq!(
        yaml(&j(r#"{"Id":"i-1234567890abcdef0","State":"running","Type":"t2.micro","Tags":[{"Key":"Name","Value":"web-server"},{"Key":"Env","Value":"prod"}]}"#)),
        "Id: i-1234567890abcdef0\nState: running\nTags:\n- Key: Name\n  Value: web-server\n- Key: Env\n  Value: prod\nType: t2.micro\n"
    );
    for (top, want) in [
        ("null", "null\n"),
        ("1", "1\n"),
        ("0.5", "0.5\n"),
        ("false", "false\n"),
        ("\"testuser-50\"", "\"testuser-50\"\n"),
        ("\"\"", "\"\"\n"),
        ("[]", "[]\n"),
    ] {
        assert_eq!(yaml(&j(top)), want, "{top}");
    }
    for (s, quoted) in [
        ("true", true),
        ("True", true),
        ("null", true),
        ("~", true),
        ("", true),
        ("123", true),
        ("0123", true),
        ("-1", true),
        ("1.5", true),
        (".5", true),
        ("1e3", true),
        ("0x1F", true),
        ("1_000", true),
        ("2014-10-16", true),
        ("123456789012", true),
        ("- x", true),
        ("-", true),
        ("[x", true),
        ("#x", true),
        ("a: b", true),
        ("a:", true),
        ("a #b", true),
        (" x", true),
        ("=", true),
        ("<<", true),
        ("yes", false),
        ("no", false),
        ("on", false),
        ("NaN", false),
        ("12:30", false),
        ("a:b", false),
        ("a#b", false),
        ("x]", false),
        ("x,y", false),
        ("-x", false),
        ("?x", false),
        ("/", false),
        ("arn:aws:iam::1:user/x", false),
        ("é✓", false),
    ] {
        assert_eq!(yaml_string(s).starts_with('\''), quoted, "{s:?}");
    }
    assert_eq!(yaml_string("x\ty"), "\"x\\ty\"");
}

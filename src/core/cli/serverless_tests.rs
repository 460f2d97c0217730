//! The console's s3, s3api, sqs, sns, lambda and dynamodb commands on the flow engine's
//! services: outputs as the AWS CLI prints them, and what each call sets off in the flow's
//! trace.

use super::tests::ok;
use super::*;
use crate::core::services::ec2::network::templates::single_web_server;
use crate::core::views::console::serverless;

fn console(template: &str) -> Console {
    Console::with_flow(
        single_web_server(),
        serverless(template).expect("a flow template"),
    )
}

fn fails(c: &mut Console, line: &str, code: i32) -> String {
    let o = c.run(line);
    assert_eq!(
        o.code, code,
        "{line}\nstdout: {}\nstderr: {}",
        o.stdout, o.stderr
    );
    o.stderr
}

/// The codes of the flow trace's entries, in order.
fn codes(c: &Console) -> Vec<&'static str> {
    c.flow.trace.entries().iter().map(|t| t.code).collect()
}

#[test]
fn an_upload_typed_in_the_console_invokes_the_function_its_bucket_notifies() {
    let mut c = console("photo");
    assert_eq!(ok(&mut c, "aws s3 ls"), "2026-01-01 00:00:00 photos\n");
    ok(&mut c, "echo meow > cat.jpg");
    assert_eq!(
        ok(&mut c, "aws s3 cp cat.jpg s3://photos/uploads/"),
        "upload: cat.jpg to s3://photos/uploads/cat.jpg\n"
    );
    // The next command comes 5 s later: the labeler (850 ms) has run and stored its labels.
    let listing = ok(&mut c, "aws s3 ls s3://photos/");
    assert_eq!(
        listing,
        format!("{:>30} labels/\n{:>30} uploads/\n", "PRE", "PRE")
    );
    let all = ok(&mut c, "aws s3 ls s3://photos --recursive --summarize");
    assert_eq!(
        all,
        // The upload at 15 s, the labels 850 ms later; sizes right-aligned in 10.
        "2026-01-01 00:00:15         19 labels/uploads/cat.jpg.json\n2026-01-01 00:00:15          5 uploads/cat.jpg\n\nTotal Objects: 2\n   Total Size: 24\n"
    );
    // The trace explains it: the student's PutObject caused the labeler's run.
    let t = c.flow.trace.entries();
    let put = t
        .iter()
        .find(|e| e.code == "S3_PUT_OBJECT" && e.actor == "arn:aws:iam::111122223333:user/student")
        .expect("the console's call is traced as the student's");
    let start = t
        .iter()
        .find(|e| e.code == "LAMBDA_START")
        .expect("the labeler ran");
    let mut cause = start.cause;
    let mut chain = vec![];
    while let Some(id) = cause {
        let e = c.flow.trace.get(id).expect("a cause in the trace");
        chain.push(e.code);
        cause = e.cause;
    }
    assert_eq!(chain.last(), Some(&put.code), "{chain:?}");
    // Downloads: to standard output, and to a file.
    assert_eq!(
        ok(&mut c, "aws s3 cp s3://photos/uploads/cat.jpg -"),
        "meow\n"
    );
    assert_eq!(
        ok(&mut c, "aws s3 cp s3://photos/uploads/cat.jpg copy.jpg"),
        "download: s3://photos/uploads/cat.jpg to copy.jpg\n"
    );
    assert_eq!(ok(&mut c, "cat copy.jpg"), "meow\n");
}

#[test]
fn s3_mv_copies_then_deletes_the_source() {
    let mut c = console("photo");
    ok(&mut c, "echo hi > a.txt");
    // A file to a bucket: uploaded, then the file is gone.
    assert_eq!(
        ok(&mut c, "aws s3 mv a.txt s3://photos/docs/"),
        "move: a.txt to s3://photos/docs/a.txt\n"
    );
    fails(&mut c, "cat a.txt", 1);
    // An object to another key, then to a file: each source deleted.
    assert_eq!(
        ok(
            &mut c,
            "aws s3 mv s3://photos/docs/a.txt s3://photos/archive/a.txt"
        ),
        "move: s3://photos/docs/a.txt to s3://photos/archive/a.txt\n"
    );
    // Nothing left under the prefix: `ls` finds nothing (exit code 1, as the CLI's).
    fails(&mut c, "aws s3 ls s3://photos/docs/ --recursive", 1);
    assert_eq!(
        ok(&mut c, "aws s3 mv s3://photos/archive/a.txt back.txt"),
        "move: s3://photos/archive/a.txt to back.txt\n"
    );
    assert_eq!(ok(&mut c, "cat back.txt"), "hi\n");
    // Nothing left under the prefix: `ls` finds nothing (exit code 1, as the CLI's).
    fails(&mut c, "aws s3 ls s3://photos/archive/ --recursive", 1);
    // Refused before any request, as the CLI refuses them (exit code 252).
    ok(&mut c, "aws s3 cp back.txt s3://photos/k.txt");
    let e = fails(&mut c, "aws s3 mv s3://photos/k.txt s3://photos/k.txt", 252);
    assert_eq!(
        e,
        "\nCannot mv a file onto itself: 's3://photos/k.txt' - 's3://photos/k.txt'\n"
    );
    fails(&mut c, "aws s3 mv s3://photos/k.txt s3://photos/", 252);
    let e = fails(&mut c, "aws s3 mv s3://photos/k.txt -", 252);
    assert!(e.contains("Streaming currently is only compatible with non-recursive cp commands"));
    // A missing source is the copy's error; nothing is deleted.
    let e = fails(&mut c, "aws s3 mv s3://photos/none.txt x.txt", 1);
    assert!(
        e.starts_with("fatal error: An error occurred (404) when calling the HeadObject operation"),
        "{e}"
    );
    assert_eq!(ok(&mut c, "aws s3 cp s3://photos/k.txt -"), "hi\n");
}

#[test]
fn s3_errors_as_the_cli_prints_them() {
    let mut c = console("photo");
    ok(&mut c, "echo x > a.txt");
    ok(&mut c, "aws s3 cp a.txt s3://photos/a.txt");
    let e = fails(&mut c, "aws s3 rb s3://photos", 1);
    assert_eq!(e, "remove_bucket failed: s3://photos An error occurred (BucketNotEmpty) when calling the DeleteBucket operation: The bucket you tried to delete is not empty\n");
    let e = fails(&mut c, "aws s3 mb s3://photos", 1);
    assert!(e.starts_with("make_bucket failed: s3://photos An error occurred (BucketAlreadyOwnedByYou) when calling the CreateBucket operation:"), "{e}");
    assert_eq!(
        fails(&mut c, "aws s3 cp nothing.txt s3://photos/", 255),
        "\nThe user-provided path nothing.txt does not exist.\n"
    );
    assert_eq!(
        fails(&mut c, "aws s3 cp s3://photos/missing.txt -", 1),
        "fatal error: An error occurred (404) when calling the HeadObject operation: Not Found\n"
    );
    assert_eq!(
        fails(&mut c, "aws s3 ls s3://nope", 254),
        "\nAn error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: The specified bucket does not exist: nope\n"
    );
    assert!(fails(&mut c, "aws s3 cp a.txt", 252)
        .contains("the following arguments are required: paths"));
    // --force empties the bucket first.
    let out = ok(&mut c, "aws s3 rb s3://photos --force");
    assert_eq!(out, "delete: s3://photos/a.txt\nremove_bucket: photos\n");
    assert_eq!(
        ok(&mut c, "aws s3 mb s3://notes-2026"),
        "make_bucket: notes-2026\n"
    );
}

#[test]
fn human_readable_sizes_match_aws_clis_own_tests() {
    // awscli tests/unit/customizations/s3/test_utils.py, TestHumanReadableSize.
    for (bytes, text) in [
        (1u64, "1 Byte"),
        (10, "10 Bytes"),
        (1000, "1000 Bytes"),
        (1024, "1.0 KiB"),
        (1024 * 1024, "1.0 MiB"),
        (1024 * 1024 * 1024, "1.0 GiB"),
        (1024u64.pow(4), "1.0 TiB"),
        (1024u64.pow(5), "1.0 PiB"),
        (1024u64.pow(6), "1.0 EiB"),
        (1024 * 1024 - 1, "1.0 MiB"),
        (1024 * 1024 * 1024 - 1, "1.0 GiB"),
    ] {
        assert_eq!(s3::human_size(bytes), text, "{bytes}");
    }
}

#[test]
fn s3api_documents() {
    let mut c = console("photo");
    ok(&mut c, "echo hello > h.txt");
    let put = ok(
        &mut c,
        "aws s3api put-object --bucket photos --key notes/h.txt --body h.txt",
    );
    assert_eq!(
        put,
        "{\n    \"ETag\": \"\\\"b1946ac92492d2347c6235b4d2611184\\\"\",\n    \"ServerSideEncryption\": \"AES256\"\n}\n"
    );
    let listed = ok(
        &mut c,
        "aws s3api list-objects-v2 --bucket photos --query 'Contents[].[Key,Size]' --output text",
    );
    assert_eq!(listed, "notes/h.txt\t6\n");
    let grouped = ok(
        &mut c,
        "aws s3api list-objects-v2 --bucket photos --delimiter / --query CommonPrefixes",
    );
    assert!(grouped.contains("\"Prefix\": \"notes/\""), "{grouped}");
    ok(
        &mut c,
        "aws s3api get-object --bucket photos --key notes/h.txt out.txt",
    );
    assert_eq!(ok(&mut c, "cat out.txt"), "hello\n");
    let e = fails(
        &mut c,
        "aws s3api get-object --bucket photos --key none out.txt",
        254,
    );
    assert_eq!(e, "\nAn error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist: none\n");
}

#[test]
fn sqs_visibility_timeout_and_receive_count() {
    let mut c = console("empty");
    let url = ok(
        &mut c,
        "aws sqs create-queue --queue-name jobs --attributes VisibilityTimeout=20 --query QueueUrl --output text",
    );
    assert_eq!(
        url,
        "https://sqs.us-east-1.amazonaws.com/111122223333/jobs\n"
    );
    let sent = ok(
        &mut c,
        "aws sqs send-message --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/jobs --message-body hello",
    );
    // MD5 of "hello" (RFC 1321 test suite style value).
    assert!(
        sent.contains("\"MD5OfMessageBody\": \"5d41402abc4b2a76b9719d911017c592\""),
        "{sent}"
    );
    let q = "--queue-url https://sqs.us-east-1.amazonaws.com/111122223333/jobs";
    let first = ok(
        &mut c,
        &format!("aws sqs receive-message {q} --attribute-names ApproximateReceiveCount --query 'Messages[0].[Body,Attributes.ApproximateReceiveCount]' --output text"),
    );
    assert_eq!(first, "hello\t1\n");
    // In flight: a second receive within 20 s gets nothing (and prints nothing).
    assert_eq!(ok(&mut c, &format!("aws sqs receive-message {q}")), "");
    ok(&mut c, "sleep 20");
    let again = ok(
        &mut c,
        &format!("aws sqs receive-message {q} --attribute-names All --query 'Messages[0].Attributes.ApproximateReceiveCount' --output text"),
    );
    assert_eq!(again, "2\n");
    assert!(codes(&c).contains(&"SQS_VISIBLE_AGAIN"));
    let counts = ok(
        &mut c,
        &format!("aws sqs get-queue-attributes {q} --attribute-names ApproximateNumberOfMessages ApproximateNumberOfMessagesNotVisible --output text"),
    );
    assert_eq!(counts, "ATTRIBUTES\t0\t1\n");
    let e = fails(
        &mut c,
        &format!(
            "aws sqs change-message-visibility {q} --receipt-handle bad --visibility-timeout 0"
        ),
        254,
    );
    assert!(
        e.contains("(ReceiptHandleIsInvalid) when calling the ChangeMessageVisibility operation"),
        "{e}"
    );
}

#[test]
fn a_redrive_policy_moves_the_message_to_the_dead_letter_queue() {
    let mut c = console("empty");
    ok(&mut c, "aws sqs create-queue --queue-name dlq");
    ok(
        &mut c,
        r#"aws sqs create-queue --queue-name work --attributes '{"VisibilityTimeout": "5", "RedrivePolicy": "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:111122223333:dlq\",\"maxReceiveCount\":\"1\"}"}'"#,
    );
    let q = "--queue-url https://sqs.us-east-1.amazonaws.com/111122223333/work";
    ok(
        &mut c,
        &format!("aws sqs send-message {q} --message-body poison"),
    );
    assert!(ok(&mut c, &format!("aws sqs receive-message {q}")).contains("poison"));
    // The next receive (5 s later: visible again) is the second: it moves to the DLQ.
    assert_eq!(ok(&mut c, &format!("aws sqs receive-message {q}")), "");
    assert!(codes(&c).contains(&"SQS_MOVED_TO_DLQ"), "{:?}", codes(&c));
    let dlq = ok(
        &mut c,
        "aws sqs receive-message --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/dlq --query 'Messages[0].Body' --output text",
    );
    assert_eq!(dlq, "poison\n");
}

#[test]
fn sns_publish_reaches_the_subscribed_queues_through_filter_policies() {
    let mut c = console("fanout");
    let topics = ok(
        &mut c,
        "aws sns list-topics --query 'Topics[].TopicArn' --output text",
    );
    assert!(
        topics.starts_with("arn:aws:sns:us-east-1:111122223333:"),
        "{topics}"
    );
    let arn = topics.split_whitespace().next().unwrap().to_string();
    let out = ok(
        &mut c,
        &format!("aws sns publish --topic-arn {arn} --message refund-1 --message-attributes '{{\"kind\": {{\"DataType\": \"String\", \"StringValue\": \"refund\"}}}}'"),
    );
    assert!(out.contains("\"MessageId\""), "{out}");
    assert!(codes(&c).contains(&"SNS_DELIVERED"));
    assert!(codes(&c).contains(&"SNS_FILTERED_OUT"), "{:?}", codes(&c));
    let e = fails(&mut c, "aws sns publish --topic-arn nope --message x", 254);
    assert_eq!(e, "\nAn error occurred (InvalidParameter) when calling the Publish operation: Invalid parameter: TopicArn\n");
}

#[test]
fn lambda_invoke_reads_the_payload_as_base64_unless_told_otherwise() {
    let mut c = console("photo");
    let names = ok(
        &mut c,
        "aws lambda list-functions --query 'Functions[].FunctionName' --output text",
    );
    assert_eq!(names, "labeler\n");
    // The CLI v2 trap: JSON given where base64 is expected.
    let e = fails(
        &mut c,
        r#"aws lambda invoke --function-name labeler --payload '{"Records": []}' out.json"#,
        252,
    );
    assert_eq!(e, "\nInvalid base64: \"{\"Records\": []}\"\n");
    let before = c.now();
    let out = ok(
        &mut c,
        r#"aws lambda invoke --function-name labeler --cli-binary-format raw-in-base64-out --payload '{"Records": [{"s3": {"object": {"key": "x.jpg"}}}]}' out.json"#,
    );
    assert_eq!(
        out,
        "{\n    \"StatusCode\": 200,\n    \"ExecutedVersion\": \"$LATEST\"\n}\n"
    );
    // The call waited for the run (850 ms) on top of the command's own time.
    assert_eq!(c.now() - before, COMMAND_MS + 850);
    assert_eq!(ok(&mut c, "cat out.json"), "null");
    let e = fails(
        &mut c,
        "aws lambda invoke --function-name ghost --cli-binary-format raw-in-base64-out out.json",
        254,
    );
    assert!(e.contains("(ResourceNotFoundException) when calling the Invoke operation: Function not found: arn:aws:lambda:us-east-1:111122223333:function:ghost"), "{e}");
    // The profile's setting does what the option does.
    ok(
        &mut c,
        "aws configure set cli_binary_format raw-in-base64-out",
    );
    let async_out = ok(
        &mut c,
        r#"aws lambda invoke --function-name labeler --invocation-type Event --payload '{}' out.json"#,
    );
    assert_eq!(async_out, "{\n    \"StatusCode\": 202\n}\n");
}

/// `--return-values` as the CLI reference's update-item and put-item pages show it.
#[test]
fn dynamodb_return_values_print_what_the_write_touched() {
    let mut c = console("empty");
    ok(&mut c, "aws dynamodb create-table --table-name orders --attribute-definitions AttributeName=id,AttributeType=S --key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST");
    ok(
        &mut c,
        r#"aws dynamodb put-item --table-name orders --item '{"id": {"S": "o-1"}, "qty": {"N": "25"}, "status": {"S": "open"}}'"#,
    );
    let updated = ok(
        &mut c,
        r##"aws dynamodb update-item --table-name orders --key '{"id": {"S": "o-1"}}' --update-expression 'SET #s = :s' --expression-attribute-names '{"#s": "status"}' --expression-attribute-values '{":s": {"S": "paid"}}' --return-values UPDATED_NEW"##,
    );
    assert_eq!(updated, "{\n    \"Attributes\": {\n        \"status\": {\n            \"S\": \"paid\"\n        }\n    }\n}\n");
    let old = ok(
        &mut c,
        r#"aws dynamodb update-item --table-name orders --key '{"id": {"S": "o-1"}}' --update-expression 'ADD qty :d' --expression-attribute-values '{":d": {"N": "5"}}' --return-values UPDATED_OLD --query Attributes.qty.N --output text"#,
    );
    assert_eq!(old, "25\n");
    // A REMOVE sets nothing new: no Attributes at all.
    let removed = ok(
        &mut c,
        r##"aws dynamodb update-item --table-name orders --key '{"id": {"S": "o-1"}}' --update-expression 'REMOVE #s' --expression-attribute-names '{"#s": "status"}' --return-values UPDATED_NEW"##,
    );
    assert_eq!(removed, "");
    let replaced = ok(
        &mut c,
        r#"aws dynamodb put-item --table-name orders --item '{"id": {"S": "o-1"}}' --return-values ALL_OLD --query Attributes.qty.N --output text"#,
    );
    assert_eq!(replaced, "30\n");
    let e = fails(
        &mut c,
        r#"aws dynamodb put-item --table-name orders --item '{"id": {"S": "o-2"}}' --return-values ALL_NEW"#,
        254,
    );
    assert_eq!(e, "\nAn error occurred (ValidationException) when calling the PutItem operation: Return values set to invalid value\n");
    let e = fails(
        &mut c,
        r#"aws dynamodb delete-item --table-name orders --key '{"id": {"S": "o-1"}}' --return-values EVERYTHING"#,
        254,
    );
    assert!(e.contains("Value 'EVERYTHING' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"), "{e}");
    // Nothing was written by the refused calls.
    let count = ok(
        &mut c,
        "aws dynamodb scan --table-name orders --query Count",
    );
    assert_eq!(count, "1\n");
}

/// `--projection-expression` as the Developer Guide's "Projection expressions" page shows
/// it: only the named attributes come back (nested paths keep their branch), the whole item
/// is still read and charged, and a name used only by the projection counts as used.
#[test]
fn dynamodb_projection_returns_only_the_named_attributes() {
    let mut c = console("empty");
    ok(&mut c, "aws dynamodb create-table --table-name ProductCatalog --attribute-definitions AttributeName=Id,AttributeType=N --key-schema AttributeName=Id,KeyType=HASH --billing-mode PAY_PER_REQUEST");
    ok(
        &mut c,
        r#"aws dynamodb put-item --table-name ProductCatalog --item '{"Id": {"N": "123"}, "Description": {"S": "123 description"}, "RelatedItems": {"L": [{"N": "341"}, {"N": "472"}]}, "ProductReviews": {"M": {"FiveStar": {"L": [{"S": "Excellent!"}]}, "OneStar": {"L": [{"S": "Terrible"}]}}}, "Price": {"N": "500"}}'"#,
    );
    let got = ok(
        &mut c,
        r#"aws dynamodb get-item --table-name ProductCatalog --key '{"Id": {"N": "123"}}' --projection-expression "Description, RelatedItems[0], ProductReviews.FiveStar" --output json --query Item"#,
    );
    let v: serde_json::Value = serde_json::from_str(&got).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "Description": {"S": "123 description"},
            "RelatedItems": {"L": [{"N": "341"}]},
            "ProductReviews": {"M": {"FiveStar": {"L": [{"S": "Excellent!"}]}}}
        })
    );
    // A placeholder used only by the projection is used; one used nowhere is not.
    let price = ok(
        &mut c,
        r##"aws dynamodb scan --table-name ProductCatalog --projection-expression "#p" --expression-attribute-names '{"#p": "Price"}' --query 'Items[0].Price.N' --output text"##,
    );
    assert_eq!(price, "500\n");
    let e = fails(
        &mut c,
        r##"aws dynamodb scan --table-name ProductCatalog --projection-expression "Price" --expression-attribute-names '{"#p": "Price"}'"##,
        254,
    );
    assert!(
        e.contains("Value provided in ExpressionAttributeNames unused in expressions: keys: {#p}"),
        "{e}"
    );
    let e = fails(
        &mut c,
        r#"aws dynamodb get-item --table-name ProductCatalog --key '{"Id": {"N": "123"}}' --projection-expression "Price, Price""#,
        254,
    );
    assert!(
        e.contains("Invalid ProjectionExpression: Two document paths overlap"),
        "{e}"
    );
}

#[test]
fn dynamodb_items_and_the_capacity_they_consume() {
    let mut c = console("empty");
    let created = ok(
        &mut c,
        "aws dynamodb create-table --table-name orders --attribute-definitions AttributeName=id,AttributeType=S --key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST --query TableDescription.[TableName,TableStatus] --output text",
    );
    assert_eq!(created, "orders\tACTIVE\n");
    // A 1 KB item or less: 1 WRU to write (Developer Guide, "Read/write capacity mode").
    let put = ok(
        &mut c,
        r#"aws dynamodb put-item --table-name orders --item '{"id": {"S": "o-1"}, "total": {"N": "25"}}' --return-consumed-capacity TOTAL"#,
    );
    assert_eq!(put, "{\n    \"ConsumedCapacity\": {\n        \"TableName\": \"orders\",\n        \"CapacityUnits\": 1.0\n    }\n}\n");
    // Eventually consistent: half a read unit; strongly consistent: one.
    let get = ok(
        &mut c,
        r#"aws dynamodb get-item --table-name orders --key '{"id": {"S": "o-1"}}' --return-consumed-capacity TOTAL --query '[Item.total.N, ConsumedCapacity.CapacityUnits]' --output text"#,
    );
    assert_eq!(get, "25\t0.5\n");
    let strong = ok(
        &mut c,
        r#"aws dynamodb get-item --table-name orders --key '{"id": {"S": "o-1"}}' --consistent-read --return-consumed-capacity TOTAL --query ConsumedCapacity.CapacityUnits"#,
    );
    assert_eq!(strong, "1.0\n");
    // The CLI checks DynamoDB JSON before sending.
    let e = fails(
        &mut c,
        r#"aws dynamodb put-item --table-name orders --item '{"id": "o-2"}'"#,
        252,
    );
    assert_eq!(e, "\nParameter validation failed:\nInvalid type for parameter Item.id, value: \"o-2\", type: <class 'str'>, valid types: <class 'dict'>\n");
    let cond = fails(
        &mut c,
        r#"aws dynamodb put-item --table-name orders --item '{"id": {"S": "o-1"}}' --condition-expression 'attribute_not_exists(id)'"#,
        254,
    );
    assert!(
        cond.contains("(ConditionalCheckFailedException) when calling the PutItem operation"),
        "{cond}"
    );
    let scan = ok(
        &mut c,
        "aws dynamodb scan --table-name orders --query '[Count, ScannedCount]' --output text",
    );
    assert_eq!(scan, "1\t1\n");
    // The CLI sends any name (TableName also takes an ARN now); DynamoDB checks it first.
    let e = fails(
        &mut c,
        r#"aws dynamodb put-item --table-name n --item '{"id": {"S": "o-1"}}'"#,
        254,
    );
    assert_eq!(e, "\nAn error occurred (ValidationException) when calling the PutItem operation: 1 validation error detected: Value 'n' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3\n");
    let e = fails(&mut c, "aws dynamodb describe-table --table-name none", 254);
    assert!(e.contains("(ResourceNotFoundException) when calling the DescribeTable operation: Requested resource not found: Table: none not found"), "{e}");
    let e = fails(&mut c, "aws dynamodb describe-table --table-name n", 254);
    assert_eq!(e, "\nAn error occurred (ValidationException) when calling the DescribeTable operation: 1 validation error detected: Value 'n' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3\n");
    assert!(codes(&c).contains(&"DYNAMODB_CALL"));
    // DeleteTable: the description says DELETING, and the table is gone.
    let deleted = ok(
        &mut c,
        "aws dynamodb delete-table --table-name orders --output json",
    );
    let d: serde_json::Value = serde_json::from_str(&deleted).unwrap();
    let t = &d["TableDescription"];
    assert_eq!(t["TableName"], "orders");
    assert_eq!(t["TableStatus"], "DELETING");
    assert_eq!(t["ItemCount"], 1);
    assert!(t["TableArn"].as_str().unwrap().ends_with(":table/orders"));
    assert!(t.get("KeySchema").is_none());
    let e = fails(
        &mut c,
        "aws dynamodb describe-table --table-name orders",
        254,
    );
    assert!(e.contains("(ResourceNotFoundException) when calling the DescribeTable operation: Requested resource not found: Table: orders not found"), "{e}");
    let e = fails(&mut c, "aws dynamodb delete-table --table-name orders", 254);
    assert!(e.contains("(ResourceNotFoundException) when calling the DeleteTable operation: Requested resource not found: Table: orders not found"), "{e}");
    let e = fails(&mut c, "aws dynamodb delete-table --table-name n", 254);
    assert!(
        e.contains("(ValidationException) when calling the DeleteTable operation"),
        "{e}"
    );
    assert_eq!(ok(&mut c, "aws dynamodb list-tables --output text"), "");
}

/// A role `web` that EC2 may assume, allowed `s3:GetObject` on `objects`; an instance
/// launched with it, running, and the console connected to it.
fn on_instance_with_role(c: &mut Console, objects: &str) {
    ok(
        c,
        r#"aws iam create-role --role-name web --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'"#,
    );
    ok(
        c,
        &format!(
            r#"aws iam put-role-policy --role-name web --policy-name read --policy-document '{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"{objects}"}}]}}'"#
        ),
    );
    connected_with_profile(c, "web");
}

/// An instance launched with the instance profile `profile`, running, with SSH let in, and
/// the console connected to it; its id.
fn connected_with_profile(c: &mut Console, profile: &str) -> String {
    let id = ok(
        c,
        &format!("aws ec2 run-instances --image-id ami-0a3c3a20c09d6f377 --instance-type t3.micro --subnet-id subnet-public-a --iam-instance-profile Name={profile} --query 'Instances[0].InstanceId' --output text"),
    );
    let id = id.trim().to_string();
    ok(
        c,
        &format!("aws ec2 wait instance-running --instance-ids {id}"),
    );
    ok(c, "aws ec2 authorize-security-group-ingress --group-id sg-default-main --protocol tcp --port 22 --cidr 0.0.0.0/0");
    ok(
        c,
        &format!("aws ec2-instance-connect ssh --instance-id {id}"),
    );
    id
}

#[test]
fn serverless_calls_are_authorized_by_the_callers_policies() {
    let mut c = console("photo");
    on_instance_with_role(&mut c, "arn:aws:s3:::photos/*");
    let e = fails(&mut c, "aws s3 ls s3://photos", 254);
    assert!(e.contains("An error occurred (AccessDenied) when calling the ListObjectsV2 operation: User: arn:aws:sts::111122223333:assumed-role/web/"), "{e}");
    let e = fails(&mut c, "aws dynamodb list-tables", 254);
    assert!(
        e.contains("(AccessDeniedException) when calling the ListTables operation"),
        "{e}"
    );
    // What the role allows works: nothing is stored yet, so S3 answers 404.
    let e = fails(&mut c, "aws s3 cp s3://photos/uploads/none.jpg -", 1);
    assert!(e.contains("(404)"), "{e}");
}

/// `aws s3 presign` and the URL used with curl: S3's checks in S3's words, on the virtual
/// clock (S3's "Authenticating Requests: Using Query Parameters" and "Sharing objects with
/// presigned URLs": a URL signed with temporary credentials stops when they expire).
#[test]
fn presigned_urls_work_until_they_expire() {
    let mut c = console("photo");
    ok(&mut c, "echo meow > cat.txt");
    ok(&mut c, "aws s3 cp cat.txt s3://photos/uploads/cat.txt");
    // Presigning makes no request: nothing is traced.
    let before = (c.flow.trace.entries().len(), codes(&c).len());
    let url = ok(
        &mut c,
        "aws s3 presign s3://photos/uploads/cat.txt --expires-in 600",
    );
    let url = url.trim().to_string();
    assert_eq!((c.flow.trace.entries().len(), codes(&c).len()), before);
    assert!(url.starts_with("https://photos.s3.amazonaws.com/uploads/cat.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="), "{url}");
    assert!(
        url.contains("%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T00"),
        "{url}"
    );
    assert!(
        url.contains("&X-Amz-Expires=600&X-Amz-SignedHeaders=host&X-Amz-Signature="),
        "{url}"
    );
    assert_eq!(ok(&mut c, &format!("curl -s '{url}'")), "meow\n");
    assert!(
        c.flow.trace.entries().len() > before.0,
        "the GET is a call of the signer's"
    );
    // The method is signed: the GET URL does not HEAD. A HEAD answer has no body.
    let head = ok(
        &mut c,
        &format!("curl -s -X HEAD -w '%{{http_code}}' '{url}'"),
    );
    assert_eq!(head, "403");
    let tampered = url.replace("uploads/cat.txt", "uploads/dog.txt");
    assert!(
        ok(&mut c, &format!("curl -s '{tampered}'")).contains("<Code>SignatureDoesNotMatch</Code>")
    );
    let plain = ok(
        &mut c,
        "curl -s https://photos.s3.amazonaws.com/uploads/cat.txt",
    );
    assert_eq!(plain, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>");
    ok(&mut c, "sleep 601");
    let late = ok(&mut c, &format!("curl -s '{url}'"));
    assert!(late.contains("<Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>600</X-Amz-Expires><Expires>2026-01-01T00:10:"), "{late}");
    let e = fails(&mut c, &format!("curl -sSf '{url}'"), 22);
    assert_eq!(e, "curl: (22) The requested URL returned error: 403\n");
    // -s alone keeps the exit code and says nothing.
    assert_eq!(fails(&mut c, &format!("curl -sf '{url}'"), 22), "");
    // More than seven days is signed, and refused when used.
    let week = ok(
        &mut c,
        "aws s3 presign s3://photos/uploads/cat.txt --expires-in 700000",
    );
    let refused = ok(&mut c, &format!("curl -s '{}'", week.trim()));
    assert!(refused.contains("<Code>AuthorizationQueryParametersError</Code><Message>X-Amz-Expires must be less than a week (in seconds) that is 604800</Message>"), "{refused}");
    // A missing object is S3's 404, with the key.
    let none = ok(&mut c, "aws s3 presign s3://photos/uploads/none.txt");
    let missing = ok(
        &mut c,
        &format!("curl -s -w ' %{{http_code}}' '{}'", none.trim()),
    );
    assert!(
        missing.contains("<Code>NoSuchKey</Code>")
            && missing.contains("<Key>uploads/none.txt</Key>")
            && missing.ends_with(" 404"),
        "{missing}"
    );
    // Signed for another Region than the bucket's: S3 names the right one.
    let west = ok(
        &mut c,
        "aws s3 presign s3://photos/uploads/cat.txt --region eu-west-1",
    );
    assert!(
        west.starts_with("https://photos.s3.eu-west-1.amazonaws.com/uploads/cat.txt?"),
        "{west}"
    );
    let wrong = ok(&mut c, &format!("curl -s '{}'", west.trim()));
    assert!(wrong.contains("<Message>Error parsing the X-Amz-Credential parameter; the region 'eu-west-1' is wrong; expecting 'us-east-1'</Message><Region>us-east-1</Region>"), "{wrong}");
    // An empty key is the CLI's parameter validation.
    assert!(fails(&mut c, "aws s3 presign s3://photos", 252)
        .contains("Invalid length for parameter Key"));
}

/// The bucket is read from the right of the host name; a dotted bucket is addressed
/// path-style.
#[test]
fn s3_endpoints_name_their_bucket_from_the_right() {
    assert_eq!(
        s3::s3_address("photos.s3.amazonaws.com"),
        Some(Some("photos".into()))
    );
    assert_eq!(
        s3::s3_address("mys3.s3.eu-west-1.amazonaws.com"),
        Some(Some("mys3".into()))
    );
    assert_eq!(
        s3::s3_address("logs.s3x.s3.amazonaws.com"),
        Some(Some("logs.s3x".into()))
    );
    assert_eq!(s3::s3_address("s3.amazonaws.com"), Some(None));
    assert_eq!(s3::s3_address("s3.eu-west-1.amazonaws.com"), Some(None));
    assert_eq!(s3::s3_address("ec2.us-east-1.amazonaws.com"), None);
    assert_eq!(s3::s3_address("169.254.169.254"), None);
    let mut c = console("empty");
    ok(&mut c, "aws s3 mb s3://my.photos");
    ok(&mut c, "echo hi > a.txt");
    ok(&mut c, "aws s3 cp a.txt 's3://my.photos/a b.txt'");
    let url = ok(&mut c, "aws s3 presign 's3://my.photos/a b.txt'");
    assert!(
        url.starts_with("https://s3.amazonaws.com/my.photos/a%20b.txt?"),
        "{url}"
    );
    assert_eq!(ok(&mut c, &format!("curl -s '{}'", url.trim())), "hi\n");
}

/// A URL presigned on an instance is signed by its role's temporary credentials: it works
/// for the role's permissions and stops when the credentials expire, whatever its
/// X-Amz-Expires.
#[test]
fn a_url_presigned_with_role_credentials_stops_when_they_expire() {
    let mut c = console("photo");
    ok(&mut c, "echo meow > cat.txt");
    ok(&mut c, "aws s3 cp cat.txt s3://photos/uploads/cat.txt");
    on_instance_with_role(&mut c, "arn:aws:s3:::photos/uploads/*");
    let url = ok(
        &mut c,
        "aws s3 presign s3://photos/uploads/cat.txt --expires-in 604800",
    );
    assert!(
        url.contains("X-Amz-Credential=ASIA") && url.contains("&X-Amz-Security-Token="),
        "{url}"
    );
    let other = ok(&mut c, "aws s3 presign s3://photos/private/cat.txt");
    ok(&mut c, "exit");
    assert_eq!(ok(&mut c, &format!("curl -s '{}'", url.trim())), "meow\n");
    // The role may not read outside uploads/: the URL carries the signer's permissions.
    assert!(ok(&mut c, &format!("curl -s '{}'", other.trim()))
        .contains("<Code>AccessDenied</Code><Message>Access Denied</Message>"));
    ok(&mut c, "sleep 21600");
    let late = ok(&mut c, &format!("curl -s '{}'", url.trim()));
    assert!(
        late.contains(
            "<Code>ExpiredToken</Code><Message>The provided token has expired.</Message>"
        ),
        "{late}"
    );
}

#[test]
fn reviewed_edges_behave_as_the_cli_does() {
    let mut c = console("photo");
    ok(&mut c, "echo x > a.txt");
    ok(&mut c, "aws s3 cp a.txt s3://photos/uploads/a.txt");
    // rb takes a bucket only, even with --force (nothing is deleted).
    assert_eq!(
        fails(&mut c, "aws s3 rb s3://photos/uploads --force", 255),
        "\nPlease specify a valid bucket name only. E.g. s3://photos\n"
    );
    assert!(ok(&mut c, "aws s3 ls s3://photos --recursive").contains("uploads/a.txt"));
    // A prefix that matches nothing exits with 1; `s3://` alone lists the buckets.
    assert_eq!(c.run("aws s3 ls s3://photos/nothing/").code, 1);
    assert_eq!(ok(&mut c, "aws s3 ls s3://"), ok(&mut c, "aws s3 ls"));
    // Buckets are global; queues are regional, and another Region keeps its own.
    assert!(ok(&mut c, "aws s3 ls s3://photos --region eu-west-1").contains("PRE uploads/"));
    ok(
        &mut c,
        "aws sqs create-queue --queue-name far --region eu-west-1",
    );
    assert_eq!(
        ok(
            &mut c,
            "aws sqs list-queues --region eu-west-1 --query QueueUrls --output text"
        ),
        "https://sqs.eu-west-1.amazonaws.com/111122223333/far\n"
    );
    assert_eq!(ok(&mut c, "aws sqs list-queues"), "");
    // A long poll is one call, waiting on the clock.
    ok(&mut c, "aws sqs create-queue --queue-name idle");
    let before = c.now();
    let calls = c.flow.trace.entries().len();
    assert_eq!(
        ok(&mut c, "aws sqs receive-message --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/idle --wait-time-seconds 20"),
        ""
    );
    assert_eq!(c.now() - before, COMMAND_MS + 20_000);
    let receives = c.flow.trace.entries()[calls..]
        .iter()
        .filter(|t| t.text.starts_with("ReceiveMessage"))
        .count();
    assert_eq!(receives, 1);
    let e = fails(
        &mut c,
        "aws sqs receive-message --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/idle --max-number-of-messages 11",
        254,
    );
    assert!(e.contains("Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided."), "{e}");
    // Shorthand attributes: a JSON value, then another key.
    ok(&mut c, "aws sqs create-queue --queue-name dlq");
    ok(
        &mut c,
        r#"aws sqs create-queue --queue-name work --attributes 'RedrivePolicy={"deadLetterTargetArn":"arn:aws:sqs:us-east-1:111122223333:dlq","maxReceiveCount":"2"},VisibilityTimeout=60'"#,
    );
    let attrs = ok(
        &mut c,
        "aws sqs get-queue-attributes --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/work --attribute-names VisibilityTimeout RedrivePolicy --query Attributes.VisibilityTimeout --output text",
    );
    assert_eq!(attrs, "60\n");
    // SNS: a topic of another account is not found; attributes are strings.
    let e = fails(
        &mut c,
        "aws sns publish --topic-arn arn:aws:sns:us-east-1:999999999999:x --message m",
        254,
    );
    assert!(
        e.contains("(NotFound) when calling the Publish operation: Topic does not exist"),
        "{e}"
    );
    ok(&mut c, "aws sns create-topic --name t");
    let e = fails(
        &mut c,
        r#"aws sns subscribe --topic-arn arn:aws:sns:us-east-1:111122223333:t --protocol sqs --notification-endpoint arn:aws:sqs:us-east-1:111122223333:dlq --attributes '{"FilterPolicy": {"kind": ["order"]}}'"#,
        252,
    );
    assert!(
        e.contains("Invalid type for parameter Attributes.FilterPolicy"),
        "{e}"
    );
    // Lambda: fileb:// is raw bytes, never base64.
    ok(&mut c, r#"echo '{"Records": []}' > event.json"#);
    ok(
        &mut c,
        "aws lambda invoke --function-name labeler --payload fileb://event.json out.json",
    );
    // DynamoDB: Limit is checked before sending.
    ok(&mut c, "aws dynamodb create-table --table-name clicks --attribute-definitions AttributeName=k,AttributeType=S --key-schema AttributeName=k,KeyType=HASH --billing-mode PAY_PER_REQUEST");
    assert!(fails(
        &mut c,
        "aws dynamodb scan --table-name clicks --limit 0",
        252
    )
    .contains("Invalid value for parameter Limit, value: 0, valid min value: 1"));
    assert!(fails(
        &mut c,
        "aws s3api delete-object --bucket photos --key ''",
        252
    )
    .contains("Invalid length for parameter Key, value: 0, valid min length: 1"));
}

#[test]
fn a_denial_is_recorded_once_in_the_accounts_calls() {
    let mut c = console("photo");
    ok(
        &mut c,
        r#"aws iam create-role --role-name none --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'"#,
    );
    let id = ok(
        &mut c,
        "aws ec2 run-instances --image-id ami-0a3c3a20c09d6f377 --instance-type t3.micro --subnet-id subnet-public-a --iam-instance-profile Name=none --query 'Instances[0].InstanceId' --output text",
    );
    ok(
        &mut c,
        &format!("aws ec2 wait instance-running --instance-ids {}", id.trim()),
    );
    ok(&mut c, "aws ec2 authorize-security-group-ingress --group-id sg-default-main --protocol tcp --port 22 --cidr 0.0.0.0/0");
    ok(
        &mut c,
        &format!("aws ec2-instance-connect ssh --instance-id {}", id.trim()),
    );
    let n = c.account.trace.entries().len();
    fails(&mut c, "aws dynamodb list-tables", 254);
    let added: Vec<_> = c.account.trace.entries()[n..]
        .iter()
        .map(|t| t.code)
        .collect();
    assert_eq!(added, ["IAM_DENIED"]);
}

#[test]
fn the_account_keeps_at_most_its_object_data() {
    let mut f = serverless("photo").unwrap();
    let big = "x".repeat(crate::core::flow::client::MAX_STORED_BYTES / 2);
    f.put_object_now("me", "photos", "a", &big, "").unwrap();
    f.put_object_now("me", "photos", "b", &big, "").unwrap();
    let e = f.put_object_now("me", "photos", "c", "y", "").unwrap_err();
    assert_eq!(e.code, "SandboxStorageFull");
    assert_eq!(f.trace.entries().last().unwrap().code, "CLIENT_REFUSED");
}

/// A NextToken's JSON (the token is base64 of it).
fn token_json(token: &str) -> serde_json::Value {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token.trim())
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn query_and_scan_page_as_the_cli_does() {
    let mut c = console("empty");
    ok(&mut c, "aws dynamodb create-table --table-name notes --attribute-definitions AttributeName=id,AttributeType=S --key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST");
    for k in 1..=5 {
        ok(
            &mut c,
            &format!(
                r#"aws dynamodb put-item --table-name notes --item '{{"id": {{"S": "n-{k}"}}}}'"#
            ),
        );
    }
    let calls = |c: &Console| {
        c.flow
            .trace
            .entries()
            .iter()
            .filter(|t| t.code == "DYNAMODB_CALL" && t.text.starts_with("Scan"))
            .count()
    };
    // The CLI gathers the pages: three calls of Limit 2, the items together, the counts
    // summed, ConsumedCapacity null (not asked for), no LastEvaluatedKey.
    let before = calls(&c);
    let all = ok(&mut c, "aws dynamodb scan --table-name notes --page-size 2");
    assert_eq!(calls(&c) - before, 3, "{all}");
    let v: serde_json::Value = serde_json::from_str(&all).unwrap();
    assert_eq!(v["Items"].as_array().unwrap().len(), 5);
    assert_eq!(
        (v["Count"].as_i64(), v["ScannedCount"].as_i64()),
        (Some(5), Some(5))
    );
    assert!(v["ConsumedCapacity"].is_null() && v.get("LastEvaluatedKey").is_none());
    assert!(all.find("\"ScannedCount\"").unwrap() < all.find("\"ConsumedCapacity\"").unwrap());
    // --max-items cuts the page: the token is the one the DynamoDB workshop prints for
    // `--max-items 2` on a first page ("Working with Table Scans"), and only Items is cut.
    let first = ok(&mut c, "aws dynamodb scan --table-name notes --max-items 2 --query '[Items[].id.S, Count, NextToken]' --output json");
    let first: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(first[0], serde_json::json!(["n-1", "n-2"]));
    assert_eq!(first[1], 5);
    assert_eq!(
        first[2],
        "eyJFeGNsdXNpdmVTdGFydEtleSI6IG51bGwsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDJ9"
    );
    // Going on skips what was printed; the resumed page's counts are reset, as botocore's.
    let second = ok(&mut c, "aws dynamodb scan --table-name notes --max-items 2 --starting-token eyJFeGNsdXNpdmVTdGFydEtleSI6IG51bGwsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDJ9 --query '[Items[].id.S, Count, NextToken]' --output json");
    let second: serde_json::Value = serde_json::from_str(&second).unwrap();
    assert_eq!(second[0], serde_json::json!(["n-3", "n-4"]));
    assert_eq!(second[1], 0);
    assert_eq!(
        token_json(second[2].as_str().unwrap()),
        serde_json::json!({"ExclusiveStartKey": null, "boto_truncate_amount": 4})
    );
    let third = ok(&mut c, &format!("aws dynamodb scan --table-name notes --max-items 2 --starting-token {} --query 'Items[].id.S' --output text", second[2].as_str().unwrap()));
    assert_eq!(third, "n-5\n");
    let last = ok(
        &mut c,
        &format!(
            "aws dynamodb scan --table-name notes --max-items 2 --starting-token {}",
            second[2].as_str().unwrap()
        ),
    );
    assert!(!last.contains("NextToken"), "{last}");
    // A cut between pages: the next page's start key.
    let t = ok(&mut c, "aws dynamodb scan --table-name notes --page-size 2 --max-items 2 --query NextToken --output json");
    let t: String = serde_json::from_str(&t).unwrap();
    assert_eq!(
        token_json(&t),
        serde_json::json!({"ExclusiveStartKey": {"id": {"S": "n-2"}}})
    );
    // In text, the query runs on each page too: the page has no NextToken (None), then
    // the token's own section.
    let text = ok(&mut c, "aws dynamodb scan --table-name notes --page-size 2 --max-items 2 --query NextToken --output text");
    assert_eq!(text, format!("None\n{t}\n"));
    let rest = ok(&mut c, &format!("aws dynamodb scan --table-name notes --page-size 2 --starting-token {} --query 'Items[].id.S' --output text", t.trim()));
    assert_eq!(rest, "n-3\tn-4\nn-5\n", "two pages, a line each");
    // --limit turns paging off: one call, its LastEvaluatedKey printed, and the page after.
    let one = ok(&mut c, "aws dynamodb scan --table-name notes --limit 2 --query '[Items[].id.S, LastEvaluatedKey]' --output json");
    let one: serde_json::Value = serde_json::from_str(&one).unwrap();
    assert_eq!(one[0], serde_json::json!(["n-1", "n-2"]));
    assert_eq!(one[1], serde_json::json!({"id": {"S": "n-2"}}));
    let next = ok(
        &mut c,
        r#"aws dynamodb scan --table-name notes --limit 2 --exclusive-start-key '{"id": {"S": "n-2"}}' --query 'Items[].id.S' --output text"#,
    );
    assert_eq!(next, "n-3\tn-4\n");
    let whole = ok(
        &mut c,
        "aws dynamodb scan --no-paginate --table-name notes --query Count",
    );
    assert_eq!(whole, "5\n");
    // Paging options that cannot go together, and bad values.
    let e = fails(
        &mut c,
        "aws dynamodb scan --table-name notes --limit 2 --max-items 1",
        252,
    );
    assert_eq!(
        e,
        "\nCannot specify --no-paginate along with pagination arguments: --max-items\n"
    );
    let e = fails(&mut c, "aws dynamodb scan --table-name notes --limit 2 --max-items 1 --page-size 3 --starting-token x", 252);
    assert_eq!(e, "\nCannot specify --no-paginate along with pagination arguments: --starting-token, --page-size, --max-items\n", "botocore's order");
    // botocore counts only options with a value: 0 is none.
    assert_eq!(
        ok(
            &mut c,
            "aws dynamodb scan --table-name notes --limit 2 --max-items 0 --query Count"
        ),
        "2\n"
    );
    // An absurd --max-items neither panics nor wraps: no items, the CLI's warning.
    let o = c.run("aws dynamodb scan --table-name notes --max-items -9223372036854775808 --query 'length(Items)'");
    assert_eq!((o.code, o.stdout.as_str()), (0, "0\n"));
    assert!(
        o.stderr.contains(
            "warning: Non-positive values for --max-items may result in undefined behavior."
        ),
        "{}",
        o.stderr
    );
    // A token without a start key starts at the table's start; one whose key is not
    // DynamoDB JSON is refused before any call.
    let no_key = crate::core::cli::serverless::next_token_text(
        &serde_json::json!({"boto_truncate_amount": 4}),
    );
    assert_eq!(ok(&mut c, &format!("aws dynamodb scan --table-name notes --starting-token {no_key} --query 'Items[].id.S' --output text")), "n-5\n");
    let plain = crate::core::cli::serverless::next_token_text(
        &serde_json::json!({"ExclusiveStartKey": {"id": "n-2"}}),
    );
    fails(
        &mut c,
        &format!("aws dynamodb scan --table-name notes --starting-token {plain}"),
        252,
    );
    let e = fails(
        &mut c,
        "aws dynamodb scan --table-name notes --page-size 0",
        252,
    );
    assert!(
        e.contains("Invalid value for parameter Limit, value: 0, valid min value: 1"),
        "{e}"
    );
    let e = fails(
        &mut c,
        "aws dynamodb scan --table-name notes --starting-token abc",
        252,
    );
    assert!(e.contains("Invalid type for parameter ExclusiveStartKey, value: abc, type: <class 'str'>, valid types: <class 'dict'>"), "{e}");
    // Text prints each page as it comes, --query applied to each page and then to the
    // NextToken section (where a path over the items finds nothing: None), as
    // awscli/formatter.py's TextFormatter does.
    let text = ok(&mut c, "aws dynamodb scan --table-name notes --page-size 2 --max-items 3 --query 'Items[].id.S' --output text");
    let token = token_json_text(&mut c, "aws dynamodb scan --table-name notes --page-size 2 --max-items 3 --query NextToken --output json");
    assert_eq!(token["boto_truncate_amount"], 1);
    assert_eq!(text, "n-1\tn-2\nn-3\nNone\n");
    let plain = ok(
        &mut c,
        "aws dynamodb scan --table-name notes --page-size 3 --output text",
    );
    assert_eq!(
        plain,
        "None\t3\t3\nID\tn-1\nID\tn-2\nID\tn-3\n2\t2\nID\tn-4\nID\tn-5\n"
    );
    // A query pages the same way.
    let q = ok(
        &mut c,
        r#"aws dynamodb query --table-name notes --key-condition-expression 'id = :i' --expression-attribute-values '{":i": {"S": "n-3"}}' --max-items 1 --query '[Count, NextToken]' --output text"#,
    );
    assert_eq!(q, "1\tNone\n");
}

/// The NextToken a JSON command prints, read.
fn token_json_text(c: &mut Console, line: &str) -> serde_json::Value {
    let out = ok(c, line);
    token_json(serde_json::from_str::<String>(&out).unwrap().as_str())
}

#[test]
fn next_tokens_are_written_as_botocore_writes_them() {
    use super::serverless::{next_token_read, next_token_text};
    let t = serde_json::json!({"ExclusiveStartKey": {"pk": {"S": "a"}}});
    // Python: base64.b64encode(json.dumps(t).encode()).
    assert_eq!(
        next_token_text(&t),
        "eyJFeGNsdXNpdmVTdGFydEtleSI6IHsicGsiOiB7IlMiOiAiYSJ9fX0="
    );
    assert_eq!(
        next_token_read("eyJFeGNsdXNpdmVTdGFydEtleSI6IHsicGsiOiB7IlMiOiAiYSJ9fX0="),
        Some((Some(serde_json::json!({"pk": {"S": "a"}})), 0))
    );
    // json.dumps escapes non-ASCII: {"ExclusiveStartKey": {"k": {"S": "é😀"}}}.
    let t = serde_json::json!({"ExclusiveStartKey": {"k": {"S": "é😀"}}});
    let text = next_token_text(&t);
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(&text)
        .unwrap();
    assert_eq!(
        String::from_utf8(raw).unwrap(),
        r#"{"ExclusiveStartKey": {"k": {"S": "\u00e9\ud83d\ude00"}}}"#
    );
    assert_eq!(
        next_token_read(&text).unwrap().0,
        Some(serde_json::json!({"k": {"S": "é😀"}}))
    );
    for bad in ["", "abc", "W10=", "eyJ4IjogMX0="] {
        assert_eq!(next_token_read(bad), None, "{bad}");
    }
}

/// The console's IAM calls act on the roles the flow page defines (one set of roles per
/// account): the lab of template `denied` is solved from the console, and a role made here
/// goes through IAM's rules for names, policies and deletion (IAM API Reference:
/// CreateRole, PutRolePolicy, AttachRolePolicy, DeleteRole's DeleteConflict).
#[test]
fn iam_calls_act_on_the_flow_pages_roles() {
    let mut c = console("denied");
    assert_eq!(
        ok(
            &mut c,
            "aws iam list-roles --query 'Roles[].RoleName' --output text"
        ),
        "create-order-role\tdaily-report-role\tget-order-role\n"
    );
    // A role the flow page defines is one Lambda may assume.
    assert_eq!(
        ok(&mut c, "aws iam get-role --role-name get-order-role --query 'Role.AssumeRolePolicyDocument.Statement[0].Principal.Service' --output text"),
        "lambda.amazonaws.com\n"
    );
    assert_eq!(
        ok(
            &mut c,
            "aws iam list-role-policies --role-name get-order-role --output text"
        ),
        "POLICYNAMES\tget-order-access\n"
    );
    assert_eq!(
        ok(&mut c, "aws iam get-role-policy --role-name get-order-role --policy-name get-order-access --query 'PolicyDocument.Statement[0].Action' --output text"),
        "dynamodb:Query\n"
    );
    let invoke = "aws lambda invoke --function-name get-order --cli-binary-format raw-in-base64-out --payload '{\"pathParameters\":{\"id\":\"o-1\"}}' out.json --query FunctionError --output text";
    assert_eq!(ok(&mut c, invoke), "Unhandled\n");
    assert!(ok(&mut c, "cat out.json").contains("AccessDeniedException"));
    // The fix, typed here: the function's next call is allowed.
    ok(
        &mut c,
        r#"aws iam put-role-policy --role-name get-order-role --policy-name get-order-access --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/orders"}]}'"#,
    );
    assert_eq!(ok(&mut c, invoke), "None\n");
    assert!(!ok(&mut c, "cat out.json").contains("AccessDenied"));
    // The account's roles are what the flow page reads back.
    let defs = crate::core::views::flow::scenario::definitions_of(
        &c.flow,
        &crate::core::views::flow::scenario::Definitions::default(),
    );
    let role = defs
        .identities
        .iter()
        .find(|i| i.name == "get-order-role")
        .unwrap();
    assert!(role.policies[0].text.contains("dynamodb:GetItem"));
    assert_eq!(role.trust, None);

    // A role of the console's own, with its trust policy.
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    ok(
        &mut c,
        &format!("aws iam create-role --role-name web --assume-role-policy-document '{trust}'"),
    );
    let e = fails(
        &mut c,
        &format!("aws iam create-role --role-name get-order-role --assume-role-policy-document '{trust}'"),
        254,
    );
    assert!(e.contains("An error occurred (EntityAlreadyExists) when calling the CreateRole operation: Role with name get-order-role already exists."), "{e}");
    let e = fails(
        &mut c,
        &format!(
            "aws iam create-role --role-name 'web server' --assume-role-policy-document '{trust}'"
        ),
        254,
    );
    assert!(e.contains("(ValidationError) when calling the CreateRole operation: 1 validation error detected: Value 'web server' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern"), "{e}");
    let long = "r".repeat(65);
    let e = fails(
        &mut c,
        &format!("aws iam create-role --role-name {long} --assume-role-policy-document '{trust}'"),
        254,
    );
    assert!(
        e.contains("Member must have length less than or equal to 64"),
        "{e}"
    );
    ok(&mut c, "aws iam attach-role-policy --role-name web --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
    ok(
        &mut c,
        r#"aws iam put-role-policy --role-name web --policy-name logs --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*"}]}'"#,
    );
    assert_eq!(
        ok(&mut c, "aws iam list-attached-role-policies --role-name web --output text"),
        "ATTACHEDPOLICIES\tarn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\tAmazonS3ReadOnlyAccess\n"
    );
    assert_eq!(
        ok(
            &mut c,
            "aws iam list-role-policies --role-name web --output text"
        ),
        "POLICYNAMES\tlogs\n"
    );
    // Deletion needs every policy gone first: attached ones, then inline ones.
    let e = fails(&mut c, "aws iam delete-role --role-name web", 254);
    assert!(e.contains("An error occurred (DeleteConflict) when calling the DeleteRole operation: Cannot delete entity, must detach all policies first."), "{e}");
    ok(&mut c, "aws iam detach-role-policy --role-name web --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
    let e = fails(&mut c, "aws iam detach-role-policy --role-name web --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", 254);
    assert!(e.contains("(NoSuchEntity) when calling the DetachRolePolicy operation: Policy arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess was not found."), "{e}");
    let e = fails(&mut c, "aws iam delete-role --role-name web", 254);
    assert!(
        e.contains("Cannot delete entity, must delete policies first."),
        "{e}"
    );
    let e = fails(
        &mut c,
        "aws iam get-role-policy --role-name web --policy-name none",
        254,
    );
    assert!(e.contains("(NoSuchEntity) when calling the GetRolePolicy operation: The role policy with name none cannot be found."), "{e}");
    ok(
        &mut c,
        "aws iam delete-role-policy --role-name web --policy-name logs",
    );
    ok(&mut c, "aws iam delete-role --role-name web");
    let e = fails(&mut c, "aws iam get-role --role-name web", 254);
    assert!(e.contains("(NoSuchEntity) when calling the GetRole operation: The role with name web cannot be found."), "{e}");
    assert!(!c.account.policies.keys().any(|k| k.ends_with(":role/web")));
}

/// What review found: inline and managed policies are told apart, names are unique
/// regardless of case, the flow's script identity is protected, IAM's quotas hold, a role
/// in an instance profile cannot be deleted, EC2 gets no credentials for a role it may not
/// assume, and a role's boundary caps its instance sessions too.
#[test]
fn iam_edges_as_iam_answers_them() {
    let mut c = console("denied");
    let e = fails(
        &mut c,
        "aws iam detach-role-policy --role-name get-order-role --policy-arn get-order-access",
        254,
    );
    assert!(e.contains("(ValidationError) when calling the DetachRolePolicy operation: ARN get-order-access is not valid."), "{e}");
    let e = fails(
        &mut c,
        "aws iam attach-role-policy --role-name nobody --policy-arn ReadOnlyAccess",
        254,
    );
    assert!(e.contains("(ValidationError) when calling the AttachRolePolicy operation: ARN ReadOnlyAccess is not valid."), "{e}");
    let e = fails(
        &mut c,
        "aws iam delete-role-policy --role-name nobody --policy-name 'a b'",
        254,
    );
    assert!(
        e.contains("(ValidationError) when calling the DeleteRolePolicy operation"),
        "{e}"
    );
    ok(&mut c, "aws iam attach-role-policy --role-name get-order-role --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess");
    let e = fails(&mut c, "aws iam get-role-policy --role-name get-order-role --policy-name arn:aws:iam::aws:policy/ReadOnlyAccess", 254);
    assert!(
        e.contains("(ValidationError) when calling the GetRolePolicy operation"),
        "{e}"
    );
    assert_eq!(
        ok(&mut c, "aws iam list-role-policies --role-name get-order-role --query 'PolicyNames' --output text"),
        "get-order-access\n"
    );
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let e = fails(&mut c, &format!("aws iam create-role --role-name Get-Order-Role --assume-role-policy-document '{trust}'"), 254);
    assert!(
        e.contains("Role with name Get-Order-Role already exists."),
        "{e}"
    );
    let e = fails(
        &mut c,
        &format!("aws iam create-role --role-name admin --assume-role-policy-document '{trust}'"),
        254,
    );
    assert!(e.contains("User with name admin already exists"), "{e}");
    // A role's inline policies hold at most 10,240 characters, white space not counted.
    let big = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{}/*"}}]}}"#,
        "b".repeat(10_300)
    );
    let e = fails(&mut c, &format!("aws iam put-role-policy --role-name get-order-role --policy-name big --policy-document '{big}'"), 254);
    assert!(e.contains("(LimitExceeded) when calling the PutRolePolicy operation: Maximum policy size of 10240 bytes exceeded for role get-order-role"), "{e}");

    // The flow page's script identity, made a role there, is not the console's to change.
    let mut defs = crate::core::views::flow::templates::scenario("photo").definitions();
    defs.identities.push(crate::core::flow::IdentitySpec::role(
        "admin",
        "all",
        crate::core::flow::ADMINISTRATOR_ACCESS,
    ));
    let mut c = Console::with_flow(single_web_server(), defs.build().unwrap());
    let e = fails(
        &mut c,
        "aws iam delete-role-policy --role-name admin --policy-name all",
        254,
    );
    assert!(e.contains("(UnmodifiableEntity) when calling the DeleteRolePolicy operation: Cannot perform the operation on the protected role 'admin'"), "{e}");
    assert_eq!(ok(&mut c, "aws s3 ls"), "2026-01-01 00:00:00 photos\n");
}

#[test]
fn instance_profiles_need_a_role_ec2_may_assume_and_honour_its_boundary() {
    // labeler-role trusts Lambda only: an instance launched with it gets no credentials.
    let mut c = console("photo");
    connected_with_profile(&mut c, "labeler-role");
    let info = ok(
        &mut c,
        r#"TOKEN=`curl -s -X PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 60"` && curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/iam/info"#,
    );
    assert!(
        info.contains("\"Code\" : \"AssumeRoleUnauthorizedAccess\""),
        "{info}"
    );
    assert!(
        info.contains("EC2 cannot assume the role labeler-role"),
        "{info}"
    );
    let e = fails(&mut c, "aws sts get-caller-identity", 253);
    assert!(e.contains("Unable to locate credentials"), "{e}");
    ok(&mut c, "exit");
    // Without its policy, the role is still in the instance's profile: not deleted.
    ok(&mut c, "aws iam delete-role-policy --role-name labeler-role --policy-name $(aws iam list-role-policies --role-name labeler-role --query 'PolicyNames[0]' --output text)");
    let e = fails(&mut c, "aws iam delete-role --role-name labeler-role", 254);
    assert!(
        e.contains("Cannot delete entity, must remove roles from instance profile first."),
        "{e}"
    );

    // A role EC2 may assume, whose boundary allows reads only: its instance session may
    // not write, though its policy allows it.
    let mut defs = crate::core::views::flow::templates::scenario("photo").definitions();
    let mut web = crate::core::flow::IdentitySpec::role(
        "web",
        "write",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::photos/*"}]}"#,
    );
    web.trust = Some(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.into());
    web.boundary = Some(crate::core::iam::state::Doc::new(
        "Boundary",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
    ));
    defs.identities.push(web);
    let mut c = Console::with_flow(single_web_server(), defs.build().unwrap());
    connected_with_profile(&mut c, "web");
    ok(&mut c, "echo hi > a.txt");
    let e = fails(&mut c, "aws s3 cp a.txt s3://photos/a.txt", 1);
    assert!(e.contains("AccessDenied"), "{e}");
    let e = fails(&mut c, "aws s3 cp s3://photos/none.txt -", 1);
    assert!(e.contains("(404)"), "{e}");
}

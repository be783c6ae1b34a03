using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmIntegration.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class LiveStatusAndConcurrency : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "version",
                table: "notification_outbox",
                type: "uniqueidentifier",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "reported_occurred_at",
                table: "approval_timeline",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "quote_status_events",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    quote_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    number = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    approval_status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    source = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quote_status_events", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "stream_tickets",
                columns: table => new
                {
                    hash = table.Column<string>(type: "nchar(64)", fixedLength: true, maxLength: 64, nullable: false),
                    subject = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stream_tickets", x => x.hash);
                });

            migrationBuilder.CreateIndex(
                name: "ix_wecom_inbox_received_at",
                table: "wecom_inbox",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ix_quote_status_events_quote_id_seq",
                table: "quote_status_events",
                columns: new[] { "quote_id", "seq" });

            migrationBuilder.CreateIndex(
                name: "ix_stream_tickets_expires_at",
                table: "stream_tickets",
                column: "expires_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "quote_status_events");

            migrationBuilder.DropTable(
                name: "stream_tickets");

            migrationBuilder.DropIndex(
                name: "ix_wecom_inbox_received_at",
                table: "wecom_inbox");

            migrationBuilder.DropColumn(
                name: "version",
                table: "notification_outbox");

            migrationBuilder.DropColumn(
                name: "reported_occurred_at",
                table: "approval_timeline");
        }
    }
}

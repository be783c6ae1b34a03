using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmIntegration.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ListScan : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "approval_list_scan",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    next_scan_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    last_scanned_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    failures = table.Column<int>(type: "int", nullable: false),
                    last_error = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    version = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    lock_owner = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    locked_until = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_approval_list_scan", x => x.id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "approval_list_scan");
        }
    }
}
